/// A signed transaction: its serialized bytes, hash and sender.
public struct SignedTransaction: Hashable, Sendable {
    public let transaction: Transaction
    public let signature: Signature
    /// The address that signed it (recovered when decoded).
    public let sender: Address
    /// The bytes `eth_sendRawTransaction` takes.
    public let raw: [UInt8]

    init(transaction: Transaction, signature: Signature, sender: Address) throws(TransactionError) {
        self.transaction = transaction
        self.signature = signature
        self.sender = sender
        let fields = try transaction.payloadFields()
        let r = RLPItem.bytes(Array(signature.r.drop { $0 == 0 }))
        let s = RLPItem.bytes(Array(signature.s.drop { $0 == 0 }))
        switch transaction.fees {
        case .legacy:
            let v = transaction.chainID.map { UInt256($0).multiplied(by: 2)!.adding(UInt256(35 + UInt64(signature.yParity)))! }
                ?? UInt256(27 + UInt64(signature.yParity))
            raw = RLP.encode(.list(fields + [.uint(v), r, s]))
        case .accessList, .dynamic:
            raw = [transaction.type] + RLP.encode(.list(fields + [.uint(UInt64(signature.yParity)), r, s]))
        }
    }

    /// The transaction hash: keccak256 of the raw bytes.
    public var hash: [UInt8] { Keccak256.hash(raw) }

    /// Decodes raw bytes strictly and recovers the sender.
    /// - Throws: `TransactionError` naming what is wrong (type, field, signature).
    public static func decode(_ raw: [UInt8]) throws(TransactionError) -> SignedTransaction {
        guard let first = raw.first else { throw .empty }
        let transaction: Transaction
        let signature: Signature
        do {
            if first >= 0xc0 {
                (transaction, signature) = try decodeLegacy(try RLP.decode(raw).list("transaction"))
            } else if first == 1 || first == 2 {
                (transaction, signature) = try decodeTyped(first, try RLP.decode(Array(raw.dropFirst())).list("transaction"))
            } else {
                throw TransactionError.unsupportedType(first)
            }
        } catch let error as TransactionError {
            throw error
        } catch let error as RLPError {
            throw .malformed(error)
        } catch {
            throw .empty
        }
        guard signature.hasLowS else { throw .invalidSignature(.highS) }
        let sender: Address
        do {
            sender = try signature.recoverAddress(digest: try transaction.signingHash())
        } catch let error as SignatureError {
            throw .invalidSignature(error)
        } catch let error as TransactionError {
            throw error
        } catch {
            throw .invalidSignature(.recoveryFailed)
        }
        let decoded = try SignedTransaction(transaction: transaction, signature: signature, sender: sender)
        guard decoded.raw == raw else { throw .malformed(.unexpected(field: "transaction", expected: "canonical encoding")) }
        return decoded
    }

    private static func address(_ item: RLPItem, _ field: String) throws(RLPError) -> Address? {
        let bytes = try item.bytes(field)
        if bytes.isEmpty { return nil }
        guard bytes.count == 20, let address = try? Address(bytes: bytes) else {
            throw .unexpected(field: field, expected: "20 bytes or empty")
        }
        return address
    }

    private static func signatureWord(_ item: RLPItem, _ field: String) throws(RLPError) -> [UInt8] {
        let value = try item.uint256(field)
        return value.bytes32
    }

    private static func accessList(_ item: RLPItem) throws(RLPError) -> [AccessListEntry] {
        var entries: [AccessListEntry] = []
        for entry in try item.list("accessList") {
            let parts = try entry.list("accessList entry")
            guard parts.count == 2, let address = try address(parts[0], "accessList address") else {
                throw .unexpected(field: "accessList entry", expected: "[address, [storage keys]]")
            }
            var keys: [[UInt8]] = []
            for key in try parts[1].list("storageKeys") {
                let bytes = try key.bytes("storage key")
                guard bytes.count == 32 else { throw .unexpected(field: "storage key", expected: "32 bytes") }
                keys.append(bytes)
            }
            entries.append(AccessListEntry(address: address, storageKeys: keys))
        }
        return entries
    }

    private static func decodeLegacy(_ fields: [RLPItem]) throws -> (Transaction, Signature) {
        guard fields.count == 9 else { throw TransactionError.wrongFieldCount(type: 0, expected: 9, got: fields.count) }
        let v = try fields[6].uint256("v")
        let chainID: UInt64?
        let yParity: UInt8
        if v == 27 || v == 28 {
            chainID = nil
            yParity = UInt8(v.uint64! - 27)
        } else if v >= 35, let base = v.subtracting(35), base.value / 2 <= UInt64.max {
            chainID = UInt64(base.value / 2)
            yParity = UInt8(base.value % 2)
        } else {
            throw TransactionError.invalidV(v.description)
        }
        let transaction = Transaction(
            chainID: chainID, nonce: try fields[0].uint64("nonce"), fees: .legacy(gasPrice: try fields[1].uint256("gasPrice")),
            gasLimit: try fields[2].uint64("gas"), to: try address(fields[3], "to"), value: try fields[4].uint256("value"),
            data: try fields[5].bytes("data"))
        return (transaction, Signature(r: try signatureWord(fields[7], "r"), s: try signatureWord(fields[8], "s"), yParity: yParity))
    }

    private static func decodeTyped(_ type: UInt8, _ fields: [RLPItem]) throws -> (Transaction, Signature) {
        let expected = type == 1 ? 11 : 12
        guard fields.count == expected else { throw TransactionError.wrongFieldCount(type: type, expected: expected, got: fields.count) }
        let chainID = try fields[0].uint64("chainId")
        let nonce = try fields[1].uint64("nonce")
        let fees: Transaction.Fees
        var index = 2
        if type == 1 {
            fees = .accessList(gasPrice: try fields[2].uint256("gasPrice"))
            index = 3
        } else {
            fees = .dynamic(maxPriorityFeePerGas: try fields[2].uint256("maxPriorityFeePerGas"),
                            maxFeePerGas: try fields[3].uint256("maxFeePerGas"))
            index = 4
        }
        let transaction = Transaction(
            chainID: chainID, nonce: nonce, fees: fees, gasLimit: try fields[index].uint64("gas"),
            to: try address(fields[index + 1], "to"), value: try fields[index + 2].uint256("value"),
            data: try fields[index + 3].bytes("data"), accessList: try accessList(fields[index + 4]))
        let yParity = try fields[index + 5].uint64("yParity")
        guard yParity <= 1 else { throw TransactionError.invalidSignature(.invalidRecoveryID(UInt8(truncatingIfNeeded: yParity))) }
        return (transaction, Signature(r: try signatureWord(fields[index + 6], "r"), s: try signatureWord(fields[index + 7], "s"),
                                       yParity: UInt8(yParity)))
    }
}
