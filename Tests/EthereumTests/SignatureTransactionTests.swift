import Testing
@testable import Ethereum

@Suite struct SignatureTests {
    let key = try! PrivateKey(hex: "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")

    @Test func keyToAddress() {
        // eth-account's documented example key.
        #expect(key.address.checksummed == "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23")
    }

    @Test func secretsNeverPrint() {
        #expect("\(key)" == "PrivateKey(<redacted>)")
        #expect(!"\(key.secret)".contains("4c08"))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("76"))  // no byte values at all
        #expect(!String(reflecting: key.secret).contains("4c"))
    }

    @Test func badKeysAreRefusedWithoutEcho() {
        #expect(throws: SignatureError.invalidPrivateKey) { try PrivateKey(hex: "0x" + String(repeating: "0", count: 64)) }
        #expect(throws: SignatureError.invalidPrivateKey) { try PrivateKey(hex: "0x" + String(repeating: "f", count: 64)) }
        #expect(throws: SignatureError.invalidPrivateKey) { try PrivateKey(hex: "0x1234") }
    }

    @Test func signAndRecover() throws {
        let digest = Keccak256.hash("hello")
        let signature = key.sign(digest: digest)
        #expect(signature.hasLowS)
        #expect(try signature.recoverAddress(digest: digest) == key.address)
        #expect(key.sign(digest: digest) == signature)  // RFC 6979: deterministic
    }

    /// EIP-2098 test cases: the same signatures in 65-byte and compact form.
    @Test func eip2098Vectors() throws {
        let cases: [(r: String, s: String, v: UInt8, yParityAndS: String, message: String)] = [
            ("0x68a020a209d3d56c46f38cc50a33f704f4a9a10a59377f8dd762ac66910e9b90",
             "0x7e865ad05c4035ab5792787d4a0297a43617ae897930a6fe4d822b8faea52064", 27,
             "0x7e865ad05c4035ab5792787d4a0297a43617ae897930a6fe4d822b8faea52064", "Hello World"),
            ("0x9328da16089fcba9bececa81663203989f2df5fe1faa6291a45381c81bd17f76",
             "0x139c6d6b623b42da56557e5e734a43dc83345ddfadec52cbe24d0cc64f550793", 28,
             "0x939c6d6b623b42da56557e5e734a43dc83345ddfadec52cbe24d0cc64f550793", "It's a small(er) world"),
        ]
        let signer = try PrivateKey(hex: "0x1234567890123456789012345678901234567890123456789012345678901234")
        for entry in cases {
            let full = try Signature(bytes: hex(entry.r) + hex(entry.s) + [entry.v])
            let compact = try Signature(bytes: hex(entry.r) + hex(entry.yParityAndS))
            #expect(full == compact)
            #expect(full.compact == hex(entry.r) + hex(entry.yParityAndS))
            #expect(compact.bytes65 == hex(entry.r) + hex(entry.s) + [entry.v])
            #expect(PersonalMessage.sign(Array(entry.message.utf8), with: signer) == full)
            #expect(try PersonalMessage.recover(Array(entry.message.utf8), signature: compact) == signer.address)
        }
    }

    @Test(arguments: [63, 66, 0])
    func wrongSignatureLength(count: Int) {
        #expect(throws: SignatureError.wrongLength(count)) { try Signature(bytes: [UInt8](repeating: 1, count: count)) }
    }

    @Test func badV() {
        #expect(throws: SignatureError.invalidRecoveryID(29)) { try Signature(bytes: [UInt8](repeating: 1, count: 64) + [29]) }
    }
}

@Suite struct TransactionTests {
    /// The example of EIP-155.
    @Test func eip155Example() throws {
        let key = try PrivateKey(hex: "0x4646464646464646464646464646464646464646464646464646464646464646")
        let transaction = Transaction(
            chainID: 1, nonce: 9, fees: .legacy(gasPrice: UInt256(20_000_000_000)), gasLimit: 21000,
            to: try Address("0x3535353535353535353535353535353535353535"), value: try Units.parse("1", decimals: 18))
        #expect(try transaction.signingPayload() == hex("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080"))
        #expect(try transaction.signingHash() == hex("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"))
        let signed = try transaction.signed(with: key)
        #expect(signed.raw == hex("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"))
        let decoded = try SignedTransaction.decode(signed.raw)
        #expect(decoded.transaction == transaction)
        #expect(decoded.sender == key.address)
        #expect(decoded.hash == signed.hash)
    }

    @Test func eip1559RoundTrip() throws {
        let key = PrivateKey.generate()
        let transaction = Transaction(
            chainID: 146, nonce: 7, fees: .dynamic(maxPriorityFeePerGas: UInt256(1_000_000_000), maxFeePerGas: UInt256(60_000_000_000)),
            gasLimit: 50_000, to: try Address("0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38"), value: UInt256(5), data: [1, 2, 3],
            accessList: [AccessListEntry(address: key.address, storageKeys: [[UInt8](repeating: 7, count: 32)])])
        let signed = try transaction.signed(with: key)
        #expect(signed.raw.first == 2)
        let decoded = try SignedTransaction.decode(signed.raw)
        #expect(decoded.transaction == transaction)
        #expect(decoded.sender == key.address)
        #expect(transaction.maxCost == UInt256(60_000_000_000 * 50_000 + 5))
    }

    @Test func decodeRefusesGarbageClearly() throws {
        #expect(throws: TransactionError.empty) { try SignedTransaction.decode([]) }
        #expect(throws: TransactionError.unsupportedType(3)) { try SignedTransaction.decode([3, 0xc0]) }
        #expect(throws: TransactionError.wrongFieldCount(type: 2, expected: 12, got: 0)) { try SignedTransaction.decode([2, 0xc0]) }
        // A high-s signature (EIP-2) is refused even though it recovers.
        let key = PrivateKey.generate()
        let signed = try Transaction(chainID: 1, nonce: 0, fees: .dynamic(maxPriorityFeePerGas: 1, maxFeePerGas: 2), gasLimit: 21000,
                                     to: key.address).signed(with: key)
        let order = UInt256(bigEndian: Secp256k1.order)!
        let highS = order.subtracting(UInt256(bigEndian: signed.signature.s)!)!.bytes32
        let forged = try SignedTransaction(transaction: signed.transaction,
                                           signature: Signature(r: signed.signature.r, s: highS, yParity: 1 - signed.signature.yParity),
                                           sender: key.address)
        #expect(throws: TransactionError.invalidSignature(.highS)) { try SignedTransaction.decode(forged.raw) }
    }

    @Test func typedTransactionsNeedAChainID() {
        let transaction = Transaction(chainID: nil, nonce: 0, fees: .dynamic(maxPriorityFeePerGas: 1, maxFeePerGas: 2), gasLimit: 1, to: nil)
        #expect(throws: TransactionError.missingChainID) { try transaction.signingHash() }
    }
}
