import Foundation

/// A Solidity ABI type, parsed from its canonical text (`uint256`, `(address,bytes)[2][]`).
/// See https://docs.soliditylang.org/en/latest/abi-spec.html
public indirect enum ABIType: Hashable, Sendable, CustomStringConvertible {
    case uint(bits: Int)
    case int(bits: Int)
    case address
    case bool
    case fixedBytes(Int)
    case bytes
    case string
    case array(ABIType)
    case fixedArray(ABIType, Int)
    case tuple([ABIType])

    /// Parses a type. `uint` and `int` alone mean 256 bits; `tuple(…)` and `(…)` are both accepted.
    /// - Throws: `ABIError.invalidType` quoting the text.
    public init(parsing text: String) throws(ABIError) {
        var parser = ABITypeParser(text)
        self = try parser.parseType()
        guard parser.atEnd else { throw .invalidType(text) }
    }

    public var description: String {
        switch self {
        case .uint(let bits): "uint\(bits)"
        case .int(let bits): "int\(bits)"
        case .address: "address"
        case .bool: "bool"
        case .fixedBytes(let count): "bytes\(count)"
        case .bytes: "bytes"
        case .string: "string"
        case .array(let element): "\(element)[]"
        case .fixedArray(let element, let count): "\(element)[\(count)]"
        case .tuple(let members): "(" + members.map(\.description).joined(separator: ",") + ")"
        }
    }

    /// Dynamic types are encoded in the tail, behind an offset.
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .array: true
        case .fixedArray(let element, _): element.isDynamic
        case .tuple(let members): members.contains { $0.isDynamic }
        default: false
        }
    }

    /// Bytes this type takes in the head: 32 for dynamic types, its whole size for static ones.
    var headSize: Int {
        if isDynamic { return 32 }
        switch self {
        case .fixedArray(let element, let count): return element.headSize * count
        case .tuple(let members): return members.reduce(0) { $0 + $1.headSize }
        default: return 32
        }
    }
}

/// A small recursive-descent parser of ABI type text.
struct ABITypeParser {
    private let characters: [Character]
    private let text: String
    private var index = 0

    init(_ text: String) {
        self.text = text
        characters = Array(text.trimmingCharacters(in: .whitespaces))
    }

    var atEnd: Bool { index == characters.count }

    mutating func parseType() throws(ABIError) -> ABIType {
        var type: ABIType
        if peek("(") || peekWord("tuple(") {
            if peekWord("tuple(") { index += 5 }
            index += 1
            var members: [ABIType] = []
            skipSpaces()
            if !peek(")") {
                repeat {
                    skipSpaces()
                    members.append(try parseType())
                    skipSpaces()
                    // A member may be named, as human-readable ABIs write tuples: (bool success, bytes data).
                    if index < characters.count, characters[index].isLetter || characters[index] == "_" {
                        _ = readWhile { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
                        skipSpaces()
                    }
                } while consume(",")
            }
            guard consume(")") else { throw .invalidType(text) }
            type = .tuple(members)
        } else {
            type = try parseElementary()
        }
        while consume("[") {
            if consume("]") {
                type = .array(type)
            } else {
                let digits = readWhile { $0.isNumber }
                guard let count = Int(digits), count > 0, consume("]") else { throw .invalidType(text) }
                type = .fixedArray(type, count)
            }
        }
        return type
    }

    private mutating func parseElementary() throws(ABIError) -> ABIType {
        let word = readWhile { $0.isLetter || $0.isNumber }
        func size(_ prefix: String) -> Int? {
            guard word.hasPrefix(prefix) else { return nil }
            let rest = word.dropFirst(prefix.count)
            guard !rest.isEmpty, rest.first != "0" else { return nil }
            return Int(rest)
        }
        switch word {
        case "address": return .address
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "uint": return .uint(bits: 256)
        case "int": return .int(bits: 256)
        default: break
        }
        if let bits = size("uint"), bits % 8 == 0, (8...256).contains(bits) { return .uint(bits: bits) }
        if let bits = size("int"), bits % 8 == 0, (8...256).contains(bits) { return .int(bits: bits) }
        if let count = size("bytes"), (1...32).contains(count) { return .fixedBytes(count) }
        throw .invalidType(text)
    }

    private func peek(_ character: Character) -> Bool { index < characters.count && characters[index] == character }

    private func peekWord(_ word: String) -> Bool {
        let candidate = Array(word)
        return index + candidate.count <= characters.count && Array(characters[index..<(index + candidate.count)]) == candidate
    }

    private mutating func consume(_ character: Character) -> Bool {
        guard peek(character) else { return false }
        index += 1
        return true
    }

    private mutating func skipSpaces() { while peek(" ") { index += 1 } }

    private mutating func readWhile(_ predicate: (Character) -> Bool) -> String {
        let start = index
        while index < characters.count && predicate(characters[index]) { index += 1 }
        return String(characters[start..<index])
    }
}
