import Foundation
import BigInt

extension ABIValue {
    /// The value as cast prints it: decimal integers, checksummed addresses, `0x` bytes,
    /// strings as they are, arrays `[a, b]`, tuples `(a, b)`.
    public var text: String {
        switch self {
        case .uint(let number): String(number)
        case .int(let number): String(number)
        case .address(let address): address.checksummed
        case .bool(let flag): flag ? "true" : "false"
        case .bytes(let bytes): Hex.encode(bytes)
        case .string(let string): string
        case .array(let items): "[" + items.map(\.quotedText).joined(separator: ", ") + "]"
        case .tuple(let items): "(" + items.map(\.quotedText).joined(separator: ", ") + ")"
        }
    }

    /// Strings inside arrays and tuples are quoted, so their commas do not mislead.
    var quotedText: String {
        if case .string(let string) = self { return "\"\(string)\"" }
        return text
    }

    /// Parses a command-line argument for `type`: `123` or `0x7b`, `-5`, `true`, an address,
    /// `0x…` bytes, a string as it is, `[1,2]` for arrays and `(a,b)` for tuples.
    /// - Throws: `ABIError.valueMismatch` saying what the type accepts.
    public init(parsing text: String, as type: ABIType) throws(ABIError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func mismatch(_ reason: String) -> ABIError { .valueMismatch(type: type.description, reason: reason) }
        switch type {
        case .uint:
            guard let value = try? UInt256(parsing: trimmed) else { throw mismatch("\"\(trimmed)\" is not a non-negative integer") }
            self = .uint(value.value)
        case .int:
            let negative = trimmed.hasPrefix("-")
            guard let magnitude = try? UInt256(parsing: negative ? String(trimmed.dropFirst()) : trimmed) else {
                throw mismatch("\"\(trimmed)\" is not an integer")
            }
            self = .int(negative ? -BigInt(magnitude.value) : BigInt(magnitude.value))
        case .address:
            do { self = .address(try Address(trimmed)) } catch { throw mismatch(error.description) }
        case .bool:
            guard trimmed == "true" || trimmed == "false" else { throw mismatch("expected true or false, got \"\(trimmed)\"") }
            self = .bool(trimmed == "true")
        case .fixedBytes, .bytes:
            do { self = .bytes(try Hex.decode(trimmed)) } catch { throw mismatch(error.description) }
        case .string:
            self = .string(text)
        case .array(let element), .fixedArray(let element, _):
            let items = try Self.split(trimmed, open: "[", close: "]", type: type)
            self = .array(try items.map { (item) throws(ABIError) -> ABIValue in try ABIValue(parsing: Self.unquote(item), as: element) })
        case .tuple(let members):
            let items = try Self.split(trimmed, open: "(", close: ")", type: type)
            guard items.count == members.count else { throw mismatch("expected \(members.count) members, got \(items.count)") }
            var values: [ABIValue] = []
            for (item, member) in zip(items, members) { values.append(try ABIValue(parsing: Self.unquote(item), as: member)) }
            self = .tuple(values)
        }
    }

    private static func unquote(_ text: String) -> String {
        text.count >= 2 && text.first == "\"" && text.last == "\"" ? String(text.dropFirst().dropLast()) : text
    }

    /// Top-level comma-separated items between `open` and `close`.
    private static func split(_ text: String, open: Character, close: Character, type: ABIType) throws(ABIError) -> [String] {
        guard text.first == open, text.last == close else {
            throw .valueMismatch(type: type.description, reason: "expected \(open)…\(close), got \"\(text)\"")
        }
        let inner = text.dropFirst().dropLast()
        if inner.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
        var items: [String] = []
        var depth = 0
        var quoted = false
        var current = ""
        for character in inner {
            if character == "\"" { quoted.toggle() }
            if !quoted && (character == "[" || character == "(") { depth += 1 }
            if !quoted && (character == "]" || character == ")") { depth -= 1 }
            if character == "," && depth == 0 && !quoted {
                items.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current.trimmingCharacters(in: .whitespaces))
        return items
    }
}
