import BigInt
import Foundation

/// EIP-712 typed structured data, as `eth_signTypedData_v4` takes it (JSON with `types`,
/// `primaryType`, `domain`, `message`). `digest` is what the wallet signs.
/// See https://eips.ethereum.org/EIPS/eip-712
public struct TypedData: Sendable {
    public struct Field: Hashable, Sendable, Codable {
        public let name: String
        public let type: String
    }

    public let types: [String: [Field]]
    public let primaryType: String
    public let domain: [String: JSONValue]
    public let message: [String: JSONValue]

    private struct Document: Decodable {
        let types: [String: [Field]]
        let primaryType: String
        let domain: [String: JSONValue]
        let message: [String: JSONValue]
    }

    /// Parses the JSON document of `eth_signTypedData_v4`.
    /// - Throws: `TypedDataError.invalidJSON` naming the problem.
    public init(json: [UInt8]) throws(TypedDataError) {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(json))
        } catch {
            throw .invalidJSON("\(error)")
        }
        var types = document.types
        if types["EIP712Domain"] == nil {
            // Infer the domain type from the fields present, in the EIP's order.
            let known: [(String, String)] = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                                             ("verifyingContract", "address"), ("salt", "bytes32")]
            types["EIP712Domain"] = known.filter { document.domain[$0.0] != nil }.map { Field(name: $0.0, type: $0.1) }
        }
        self.types = types
        primaryType = document.primaryType
        domain = document.domain
        message = document.message
        guard types[primaryType] != nil else { throw .unknownType(primaryType) }
    }

    /// keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(primaryType, message)).
    public func digest() throws(TypedDataError) -> [UInt8] {
        let separator = try hashStruct("EIP712Domain", domain, path: "domain")
        if primaryType == "EIP712Domain" { return Keccak256.hash([0x19, 0x01] + separator) }
        return Keccak256.hash([0x19, 0x01] + separator + (try hashStruct(primaryType, message, path: "message")))
    }

    public func sign(with key: PrivateKey) throws(TypedDataError) -> Signature { key.sign(digest: try digest()) }

    /// `Mail(Person from,Person to,string contents)Person(string name,address wallet)`.
    public func encodeType(_ name: String) throws(TypedDataError) -> String {
        var dependencies = Set<String>()
        try collect(name, into: &dependencies)
        dependencies.remove(name)
        return try ([name] + dependencies.sorted()).map { (type) throws(TypedDataError) -> String in
            guard let fields = types[type] else { throw .unknownType(type) }
            return "\(type)(" + fields.map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
        }.joined()
    }

    public func hashStruct(_ type: String, _ data: [String: JSONValue], path: String) throws(TypedDataError) -> [UInt8] {
        guard let fields = types[type] else { throw .unknownType(type) }
        var encoded = Keccak256.hash(try encodeType(type))
        for field in fields {
            guard let value = data[field.name] else { throw .missingField("\(path).\(field.name)") }
            encoded += try encodeValue(field.type, value, path: "\(path).\(field.name)")
        }
        return Keccak256.hash(encoded)
    }

    private func collect(_ type: String, into found: inout Set<String>) throws(TypedDataError) {
        let base = Self.baseType(type)
        guard let fields = types[base], !found.contains(base) else { return }
        found.insert(base)
        for field in fields { try collect(field.type, into: &found) }
    }

    /// `Person[][3]` → `Person`.
    static func baseType(_ type: String) -> String {
        type.firstIndex(of: "[").map { String(type[..<$0]) } ?? type
    }

    private func encodeValue(_ type: String, _ value: JSONValue, path: String) throws(TypedDataError) -> [UInt8] {
        if type.hasSuffix("]"), let open = type.lastIndex(of: "[") {
            let element = String(type[..<open])
            guard case .array(let items) = value else { throw .badValue(path, "expected an array for \(type)") }
            let length = type[type.index(after: open)..<type.index(before: type.endIndex)]
            if !length.isEmpty, Int(length) != items.count { throw .badValue(path, "expected \(length) elements, got \(items.count)") }
            var concatenated: [UInt8] = []
            for (index, item) in items.enumerated() { concatenated += try encodeValue(element, item, path: "\(path)[\(index)]") }
            return Keccak256.hash(concatenated)
        }
        if types[type] != nil {
            guard case .object(let object) = value else { throw .badValue(path, "expected an object for \(type)") }
            return try hashStruct(type, object, path: path)
        }
        switch type {
        case "string":
            guard case .string(let text) = value else { throw .badValue(path, "expected a string") }
            return Keccak256.hash(text)
        case "bytes":
            return Keccak256.hash(try bytes(value, path: path))
        default:
            let abiType: ABIType
            do { abiType = try ABIType(parsing: type) } catch { throw .unknownType(type) }
            let abiValue: ABIValue
            switch (abiType, value) {
            case (.bool, .bool(let flag)): abiValue = .bool(flag)
            case (.uint, .integer(let number)) where number >= 0: abiValue = .uint(number.magnitude)
            case (.int, .integer(let number)): abiValue = .int(number)
            case (.fixedBytes, _): abiValue = .bytes(try bytes(value, path: path))
            case (_, .string(let text)):
                do { abiValue = try ABIValue(parsing: text, as: abiType) } catch { throw .badValue(path, error.description) }
            default: throw .badValue(path, "expected a value of type \(type)")
            }
            do { return try ABI.encodeOne(abiValue, abiType) } catch { throw .badValue(path, error.description) }
        }
    }

    private func bytes(_ value: JSONValue, path: String) throws(TypedDataError) -> [UInt8] {
        guard case .string(let text) = value else { throw .badValue(path, "expected 0x-hex bytes") }
        do { return try Hex.decode(text) } catch { throw .badValue(path, error.description) }
    }
}

/// Why typed data could not be hashed.
public enum TypedDataError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidJSON(String)
    case unknownType(String)
    case missingField(String)
    case badValue(String, String)

    public var description: String {
        switch self {
        case .invalidJSON(let reason): "typed data is not EIP-712 JSON: \(reason)"
        case .unknownType(let type): "typed data uses the undefined type \(type)"
        case .missingField(let path): "typed data lacks \(path)"
        case .badValue(let path, let reason): "typed data \(path): \(reason)"
        }
    }
}
