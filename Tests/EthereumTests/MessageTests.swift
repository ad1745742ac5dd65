import Foundation
import Testing
@testable import Ethereum

@Suite struct TypedDataTests {
    /// The example of EIP-712 (Mail from Cow to Bob), with the signature MetaMask and geth give.
    @Test func eip712Example() throws {
        let json = """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},
        {"name":"verifyingContract","type":"address"}],"Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
        "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
        "primaryType":"Mail","domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
        "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
        "to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}
        """
        let data = try TypedData(json: Array(json.utf8))
        #expect(try data.encodeType("Mail") == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        #expect(Hex.encode(try data.hashStruct("EIP712Domain", data.domain, path: "domain")) ==
                "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        #expect(Hex.encode(try data.hashStruct("Mail", data.message, path: "message")) ==
                "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")
        #expect(Hex.encode(try data.digest()) == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        let cow = try PrivateKey(bytes: Keccak256.hash("cow"))
        #expect(cow.address.checksummed == "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")
        #expect(Hex.encode(try data.sign(with: cow).bytes65) ==
                "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c")
    }

    @Test func missingFieldIsNamed() throws {
        let json = #"{"types":{"A":[{"name":"x","type":"uint256"}]},"primaryType":"A","domain":{"name":"d"},"message":{}}"#
        #expect(throws: TypedDataError.missingField("message.x")) { try TypedData(json: Array(json.utf8)).digest() }
    }
}

@Suite struct SIWETests {
    /// The example message of EIP-4361.
    static let example = """
    service.invalid wants you to sign in with your Ethereum account:
    0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2

    I accept the ServiceOrg Terms of Service: https://service.invalid/tos

    URI: https://service.invalid/login
    Version: 1
    Chain ID: 1
    Nonce: 32891756
    Issued At: 2021-09-30T16:25:24Z
    Resources:
    - ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/
    - https://example.com/my-web2-claim.json
    """

    @Test func parsesAndRebuildsTheExample() throws {
        let message = try SIWEMessage(parsing: Self.example)
        #expect(message.domain == "service.invalid")
        #expect(message.statement == "I accept the ServiceOrg Terms of Service: https://service.invalid/tos")
        #expect(message.chainID == 1)
        #expect(message.nonce == "32891756")
        #expect(message.resources.count == 2)
        #expect(message.text == Self.example)
    }

    @Test func withoutStatementAndWithScheme() throws {
        let text = """
        https://example.com wants you to sign in with your Ethereum account:
        0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2


        URI: https://example.com/login
        Version: 1
        Chain ID: 146
        Nonce: abcdef1234
        Issued At: 2026-11-27T10:00:00.123Z
        Expiration Time: 2026-11-27T11:00:00Z
        """
        let message = try SIWEMessage(parsing: text)
        #expect(message.scheme == "https")
        #expect(message.statement == nil)
        #expect(message.text == text)
    }

    @Test(arguments: [
        ("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2", "address"),  // not checksummed
        ("Nonce: 32891756", "Nonce: 1234", "Nonce"),
        ("Version: 1", "Version: 2", "Version"),
        ("Chain ID: 1", "Chain ID: one", "Chain ID"),
        ("Issued At: 2021-09-30T16:25:24Z", "Issued At: yesterday", "Issued At"),
    ])
    func refusesBadFields(original: String, replacement: String, field: String) {
        let text = Self.example.replacingOccurrences(of: original, with: replacement)
        #expect {
            _ = try SIWEMessage(parsing: text)
        } throws: { error in
            guard case SIWEError.invalidField(let named, _) = error else { return false }
            return named == field
        }
    }

    /// Found by the SIWE fuzzer: Foundation accepted "-2021-…" and printed it differently.
    @Test(arguments: ["-2021-09-30T16:25:24Z", "2021-09-30 16:25:24Z", "2021-09-30T16:25:24", "2021-9-30T16:25:24Z",
                      "2021-09-30T16:25:24.Z", "2021-09-30T16:25:24+0200"])
    func refusesLooseTimestamps(timestamp: String) {
        let text = Self.example.replacingOccurrences(of: "2021-09-30T16:25:24Z", with: timestamp)
        #expect(throws: SIWEError.self) { try SIWEMessage(parsing: text) }
    }

    @Test func keepsTimestampsAsWritten() throws {
        let text = Self.example.replacingOccurrences(of: "2021-09-30T16:25:24Z", with: "2021-09-30T18:25:24.123456+02:00")
        let message = try SIWEMessage(parsing: text)
        #expect(message.text == text)
        let base = try SIWEMessage(parsing: Self.example).issuedAt.date
        #expect(abs(message.issuedAt.date.timeIntervalSince(base) - 0.123) < 0.001)  // Foundation keeps milliseconds
    }

    @Test func refusesStructuralChanges() {
        #expect(throws: SIWEError.self) { try SIWEMessage(parsing: Self.example + "\nextra") }
        #expect(throws: SIWEError.self) { try SIWEMessage(parsing: Self.example.replacingOccurrences(of: "wants you", with: "asks you")) }
        #expect(throws: SIWEError.self) { try SIWEMessage(parsing: Self.example.replacingOccurrences(of: "URI: ", with: "Uri: ")) }
    }

    @Test func verifiesSignatureAndClaims() throws {
        let key = PrivateKey.generate()
        let issued = Date(timeIntervalSince1970: 1_800_000_000)
        let message = SIWEMessage(domain: "localhost:8080", address: key.address, statement: "Sign in to Smart Sonic", uri: "http://localhost:8080",
                                  chainID: 31337, nonce: "n0nce12345", issuedAt: issued, expirationTime: issued.addingTimeInterval(600))
        let parsed = try SIWEMessage(parsing: message.text)
        let signature = PersonalMessage.sign(Array(message.text.utf8), with: key)
        let now = issued.addingTimeInterval(60)
        let site = SIWEMessage.Expectation(domain: "localhost:8080", origin: "http://localhost:8080", nonce: "n0nce12345", chainID: 31337)
        try parsed.verify(signature: signature, site, at: now)
        var other = site
        other.domain = "evil.example"
        #expect(throws: SIWEError.domainMismatch(expected: "evil.example", got: "localhost:8080")) { try parsed.verify(signature: signature, other, at: now) }
        other = site
        other.chainID = 146
        #expect(throws: SIWEError.chainMismatch(expected: 146, got: 31337)) { try parsed.verify(signature: signature, other, at: now) }
        other = site
        other.nonce = "other12345"
        #expect(throws: SIWEError.nonceMismatch) { try parsed.verify(signature: signature, other, at: now) }
        #expect(throws: SIWEError.expired(issued.addingTimeInterval(600))) {
            try parsed.verify(signature: signature, site, at: issued.addingTimeInterval(601))
        }
        let stranger = PersonalMessage.sign(Array(message.text.utf8), with: PrivateKey.generate())
        #expect(throws: SIWEError.badSignature) { try parsed.verify(signature: stranger, site, at: now) }
    }

    /// The URI must be on the site's origin (default ports written out or not), and a message
    /// issued more than the allowed skew ahead of the server's clock is refused.
    @Test func checksTheURIAndTheIssueTime() throws {
        let issued = Date(timeIntervalSince1970: 1_800_000_000)
        func message(uri: String) throws -> SIWEMessage {
            try SIWEMessage(parsing: SIWEMessage(domain: "app.example", address: PrivateKey.generate().address, uri: uri, chainID: 146,
                                                 nonce: "n0nce12345", issuedAt: issued).text)
        }
        let site = SIWEMessage.Expectation(domain: "app.example", origin: "https://app.example", nonce: "n0nce12345", chainID: 146)
        try message(uri: "https://app.example/").checkClaims(site, at: issued)
        try message(uri: "https://APP.example:443/login").checkClaims(site, at: issued)
        for foreign in ["https://evil.example/", "http://app.example/", "https://app.example:8443/", "urn:app.example"] {
            #expect(throws: SIWEError.uriMismatch(expected: "https://app.example", got: foreign)) {
                try message(uri: foreign).checkClaims(site, at: issued)
            }
        }
        let valid = try message(uri: "https://app.example")
        try valid.checkClaims(site, at: issued.addingTimeInterval(-299))  // within the skew
        #expect(throws: SIWEError.issuedInFuture(issued)) { try valid.checkClaims(site, at: issued.addingTimeInterval(-301)) }
    }

    /// A high-s signature is the low-s one's twin: both are the signer's.
    @Test func acceptsTheHighSTwinOfASignature() throws {
        let key = PrivateKey.generate()
        let text = Array("hello".utf8)
        let low = PersonalMessage.sign(text, with: key)
        #expect(low.hasLowS)
        let order = UInt256(bigEndian: Secp256k1.order)!
        let high = Signature(r: low.r, s: order.subtracting(UInt256(bigEndian: low.s)!)!.bytes32, yParity: low.yParity ^ 1)
        #expect(!high.hasLowS)
        #expect(high.lowS == low)
        #expect(PersonalMessage.verify(text, signature: high.lowS, address: key.address))
    }
}

@Suite struct KeystoreTests {
    @Test func roundTripAndWrongPassword() throws {
        let key = PrivateKey.generate()
        let file = try Keystore.encrypt(key, password: "correct horse", scryptN: 1 << 10)
        let text = String(decoding: file, as: UTF8.self)
        #expect(!text.contains(Hex.encode(key.secret.revealedBytes).dropFirst(2)))
        #expect(try Keystore.decrypt(json: file, password: "correct horse").address == key.address)
        #expect(throws: KeystoreError.wrongPassword) { try Keystore.decrypt(json: file, password: "battery staple") }
    }

    @Test func malformedFilesAreNamed() {
        #expect(throws: KeystoreError.self) { try Keystore.decrypt(json: Array("{}".utf8), password: "x") }
        let tooExpensive = #"{"version":3,"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"00"},"ciphertext":"00","kdf":"scrypt","kdfparams":{"dklen":32,"n":4194304,"r":8,"p":1,"salt":"00"},"mac":"00"}}"#
        #expect(throws: KeystoreError.self) { try Keystore.decrypt(json: Array(tooExpensive.utf8), password: "x") }
    }
}
