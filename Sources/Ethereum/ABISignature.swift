import Foundation

/// A parameter of a function, event or error: its type, name and whether it is indexed.
public struct ABIParameter: Hashable, Sendable {
    public var type: ABIType
    public var name: String
    public var indexed: Bool

    public init(type: ABIType, name: String = "", indexed: Bool = false) {
        self.type = type
        self.name = name
        self.indexed = indexed
    }
}

/// A function, event or error from its human-readable signature.
///
/// Accepted forms: `transfer(address,uint256)`, `balanceOf(address)(uint256)` (outputs as
/// cast writes them), `function transfer(address to, uint256 amount) returns (bool)`,
/// `event Transfer(address indexed from, address indexed to, uint256 value)`,
/// `error Insufficient(uint256 available, uint256 required)`.
public struct ABISignature: Hashable, Sendable {
    public enum Kind: String, Sendable { case function, event, error }

    public var kind: Kind
    public var name: String
    public var inputs: [ABIParameter]
    public var outputs: [ABIParameter]

    /// - Throws: `ABIError.invalidSignature` or `.invalidType` quoting the text.
    public init(parsing text: String, defaultKind: Kind = .function) throws(ABIError) {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        kind = defaultKind
        for candidate in [Kind.function, .event, .error] where rest.hasPrefix(candidate.rawValue + " ") {
            kind = candidate
            rest = rest.dropFirst(candidate.rawValue.count + 1).drop { $0 == " " }
        }
        guard let open = rest.firstIndex(of: "(") else { throw .invalidSignature(text) }
        name = String(rest[..<open]).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }),
              !name.first!.isNumber
        else { throw .invalidSignature(text) }
        let (inputText, afterInputs) = try Self.balanced(rest[open...], text)
        inputs = try Self.parameters(inputText, text)
        var tail = afterInputs.trimmingCharacters(in: .whitespaces)
        for modifier in ["external", "public", "view", "pure", "payable", "nonpayable", "anonymous"] {
            tail = tail.replacingOccurrences(of: modifier, with: "").trimmingCharacters(in: .whitespaces)
        }
        if tail.hasPrefix("returns") { tail = String(tail.dropFirst("returns".count)).trimmingCharacters(in: .whitespaces) }
        if tail.isEmpty {
            outputs = []
        } else {
            let (outputText, end) = try Self.balanced(Substring(tail), text)
            guard end.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidSignature(text) }
            outputs = try Self.parameters(outputText, text)
        }
    }

    /// `name(type,type)`: the text whose hash is the selector or topic.
    public var canonical: String { "\(name)(" + inputs.map(\.type.description).joined(separator: ",") + ")" }

    /// The first four bytes of keccak256(canonical): a function's selector or an error's.
    public var selector: [UInt8] { Array(Keccak256.hash(canonical).prefix(4)) }

    /// keccak256(canonical): an event's first topic.
    public var topic: [UInt8] { Keccak256.hash(canonical) }

    /// Calldata for a call with `values`.
    public func calldata(_ values: [ABIValue]) throws(ABIError) -> [UInt8] {
        try ABI.calldata(selector: selector, values, as: inputs.map(\.type))
    }

    /// The arguments of calldata made for this function (selector checked).
    public func decodeCalldata(_ data: [UInt8]) throws(ABIError) -> [ABIValue] {
        guard data.count >= 4 else { throw .truncated(offset: 0, needed: 4) }
        guard Array(data.prefix(4)) == selector else {
            throw .selectorMismatch(expected: Hex.encode(selector), got: Hex.encode(data.prefix(4)))
        }
        return try ABI.decode(Array(data.dropFirst(4)), as: inputs.map(\.type))
    }

    /// Returned data decoded by `outputs`.
    public func decodeOutput(_ data: [UInt8]) throws(ABIError) -> [ABIValue] {
        try ABI.decode(data, as: outputs.map(\.type))
    }

    /// Text inside the parentheses starting at `text.first`, and what follows them.
    private static func balanced(_ text: Substring, _ whole: String) throws(ABIError) -> (Substring, Substring) {
        guard text.first == "(" else { throw .invalidSignature(whole) }
        var depth = 0
        for index in text.indices {
            if text[index] == "(" { depth += 1 }
            if text[index] == ")" {
                depth -= 1
                if depth == 0 { return (text[text.index(after: text.startIndex)..<index], text[text.index(after: index)...]) }
            }
        }
        throw .invalidSignature(whole)
    }

    /// Parameters separated by top-level commas: `type [indexed] [location] [name]`.
    private static func parameters(_ text: Substring, _ whole: String) throws(ABIError) -> [ABIParameter] {
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
        var pieces: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                pieces.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        pieces.append(text[start...])
        var parameters: [ABIParameter] = []
        for piece in pieces {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            // The type ends at the first space outside parentheses.
            var depth = 0
            var typeEnd = trimmed.endIndex
            for index in trimmed.indices {
                if trimmed[index] == "(" { depth += 1 }
                if trimmed[index] == ")" { depth -= 1 }
                if trimmed[index] == " " && depth == 0 { typeEnd = index; break }
            }
            let type = try ABIType(parsing: String(trimmed[..<typeEnd]))
            var words = trimmed[typeEnd...].split(separator: " ").map(String.init)
            let indexed = words.contains("indexed")
            words.removeAll { ["indexed", "memory", "calldata", "storage"].contains($0) }
            guard words.count <= 1 else { throw .invalidSignature(whole) }
            parameters.append(ABIParameter(type: type, name: words.first ?? "", indexed: indexed))
        }
        return parameters
    }
}
