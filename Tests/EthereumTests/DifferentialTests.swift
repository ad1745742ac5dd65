import BigInt
import Foundation
import Testing
@testable import Ethereum

let differentialDirectory = ProcessInfo.processInfo.environment["SONIC_DIFF_DIR"]

/// Agreement with independent implementations (eth-hash, rlp, eth-abi, eth-account from PyPI) on random
/// cases that Tests/Differential/generate.py writes to $SONIC_DIFF_DIR before this suite runs.
@Suite(.enabled(if: differentialDirectory != nil), .serialized)
struct DifferentialTests {
    static let directory = differentialDirectory

    static func cases(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory!)/\(name).json"))
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let cases = root["cases"] as! [[String: Any]]
        #expect(cases.count >= 1000, "\(name): the issue asks for at least 1,000 cases")
        return cases
    }

    @Test func keccakMatchesEthHash() throws {
        for entry in try Self.cases("keccak") {
            let data = hex(entry["data"] as! String)
            #expect(Hex.encode(Keccak256.hash(data)) == entry["digest"] as! String, "length \(data.count)")
            var streaming = Keccak256()
            streaming.update(data.prefix(data.count / 3))
            streaming.update(data.dropFirst(data.count / 3))
            #expect(Hex.encode(streaming.finalize()) == entry["digest"] as! String)
        }
    }

    @Test func rlpEncodesAndDecodesLikePyRLP() throws {
        for entry in try Self.cases("rlp") {
            let item = Self.rlpItem(entry["item"]!)
            let encoded = hex(entry["encoded"] as! String)
            #expect(RLP.encode(item) == encoded)
            #expect(try RLP.decode(encoded) == item)
        }
    }

    @Test func abiEncodesAndDecodesLikeEthABI() throws {
        for entry in try Self.cases("abi") {
            let types = try (entry["types"] as! [String]).map { try ABIType(parsing: $0) }
            let values = try zip(types, entry["values"] as! [Any]).map { try Self.abiValue($1, $0) }
            let encoded = hex(entry["encoded"] as! String)
            #expect(try ABI.encode(values, as: types) == encoded, "\(entry["types"]!)")
            #expect(try ABI.decode(encoded, as: types) == values, "\(entry["types"]!)")
        }
    }

    @Test func transactionsAreByteIdenticalToEthAccount() throws {
        var kinds = Set<UInt8>()
        for entry in try Self.cases("tx") {
            let key = try PrivateKey(hex: entry["key"] as! String)
            let fields = entry["tx"] as! [String: Any]
            let transaction = try Self.transaction(fields)
            kinds.insert(transaction.type)
            let signed = try transaction.signed(with: key)
            #expect(Hex.encode(signed.raw) == entry["raw"] as! String, "\(fields)")
            #expect(Hex.encode(signed.hash) == entry["hash"] as! String)
            let decoded = try SignedTransaction.decode(hex(entry["raw"] as! String))
            #expect(decoded.transaction == transaction)
            #expect(decoded.sender.checksummed == entry["sender"] as! String)
        }
        #expect(kinds == [0, 1, 2])
    }

    @Test func personalSignMatchesEthAccount() throws {
        for entry in try Self.cases("personal") {
            let key = try PrivateKey(hex: entry["key"] as! String)
            let message = hex(entry["message"] as! String)
            let signature = PersonalMessage.sign(message, with: key)
            #expect(Hex.encode(signature.bytes65) == entry["signature"] as! String)
            #expect(try PersonalMessage.recover(message, signature: signature).checksummed == entry["address"] as! String)
        }
    }

    @Test func eip712MatchesEthAccount() throws {
        for entry in try Self.cases("eip712") {
            let json = try JSONSerialization.data(withJSONObject: entry["typedData"]!)
            let data = try TypedData(json: Array(json))
            #expect(Hex.encode(try data.digest()) == entry["digest"] as! String, "\(entry["typedData"]!)")
            let key = try PrivateKey(hex: entry["key"] as! String)
            #expect(Hex.encode(try data.sign(with: key).bytes65) == entry["signature"] as! String)
        }
    }

    @Test func keystoresFromEthAccountDecrypt() throws {
        for entry in try Self.cases("keystore") {
            let json = try JSONSerialization.data(withJSONObject: entry["keystore"]!)
            let key = try Keystore.decrypt(json: Array(json), password: entry["password"] as! String)
            #expect(Hex.encode(key.secret.revealedBytes) == entry["key"] as! String)
        }
    }

    /// The other direction: files we write, for verify.py to decrypt with eth-account.
    @Test func writeKeystoresForEthAccount() throws {
        var written: [[String: Any]] = []
        for index in 0..<1000 {
            let key = PrivateKey.generate()
            let password = "pw-\(index)-é"
            let file = try Keystore.encrypt(key, password: password, scryptN: 1 << 4)
            written.append(["key": Hex.encode(key.secret.revealedBytes), "password": password,
                            "keystore": try JSONSerialization.jsonObject(with: Data(file))])
        }
        let data = try JSONSerialization.data(withJSONObject: ["cases": written])
        try data.write(to: URL(fileURLWithPath: "\(Self.directory!)/swift-keystores.json"))
    }

    // MARK: - JSON to values

    static func rlpItem(_ value: Any) -> RLPItem {
        if let list = value as? [Any] { return .list(list.map(rlpItem)) }
        return .bytes(hex(value as! String))
    }

    static func abiValue(_ json: Any, _ type: ABIType) throws -> ABIValue {
        switch type {
        case .array(let element), .fixedArray(let element, _):
            return .array(try (json as! [Any]).map { try abiValue($0, element) })
        case .tuple(let members):
            return .tuple(try zip(json as! [Any], members).map { try abiValue($0, $1) })
        case .uint: return .uint(BigUInt(json as! String)!)
        case .int: return .int(BigInt(json as! String)!)
        case .address: return .address(try Address(bytes: hex(json as! String)))
        case .bool: return .bool(json as! Bool)
        case .bytes, .fixedBytes: return .bytes(hex(json as! String))
        case .string: return .string(json as! String)
        }
    }

    static func transaction(_ fields: [String: Any]) throws -> Transaction {
        func number(_ key: String) -> UInt256 { UInt256(BigUInt(fields[key] as! String)!)! }
        let type = (fields["type"] as? String).flatMap { UInt8($0) } ?? 0
        let fees: Transaction.Fees = switch type {
        case 0: .legacy(gasPrice: number("gasPrice"))
        case 1: .accessList(gasPrice: number("gasPrice"))
        default: .dynamic(maxPriorityFeePerGas: number("maxPriorityFeePerGas"), maxFeePerGas: number("maxFeePerGas"))
        }
        let accessList = try ((fields["accessList"] as? [[String: Any]]) ?? []).map {
            AccessListEntry(address: try Address(bytes: hex($0["address"] as! String)), storageKeys: ($0["storageKeys"] as! [String]).map(hex))
        }
        return Transaction(
            chainID: number("chainId").uint64, nonce: number("nonce").uint64!, fees: fees, gasLimit: number("gas").uint64!,
            to: try (fields["to"] as? String).map { try Address($0) }, value: number("value"), data: hex(fields["data"] as! String),
            accessList: accessList)
    }
}
