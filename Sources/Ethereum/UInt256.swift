import Foundation
import BigInt

/// An unsigned 256-bit integer: wei amounts, fees, token balances, ABI `uint256`.
///
/// Construction checks the range, so a value that exists is always one the EVM can hold.
/// Arithmetic that could leave the range returns nil instead of wrapping.
public struct UInt256: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public static let max = UInt256(unchecked: (BigUInt(1) << 256) - 1)
    public static let zero = UInt256(unchecked: 0)

    public let value: BigUInt

    init(unchecked value: BigUInt) { self.value = value }

    /// nil when `value` needs more than 256 bits.
    public init?(_ value: BigUInt) {
        guard value.bitWidth <= 256 else { return nil }
        self.value = value
    }

    public init(_ value: UInt64) { self.value = BigUInt(value) }

    public init(integerLiteral value: UInt64) { self.init(value) }

    /// From big-endian bytes, at most 32 of them.
    public init?(bigEndian bytes: some Collection<UInt8>) {
        guard bytes.count <= 32 else { return nil }
        self.value = BigUInt(Data(bytes))
    }

    /// Parses a decimal (`1500`) or `0x` hex (`0x5dc`) integer.
    /// - Throws: `UnitsError` when the text is not an integer or exceeds 256 bits.
    public init(parsing text: String) throws(UnitsError) {
        // 2^256 has 78 decimal digits: longer text is refused before the quadratic conversion.
        guard text.utf8.count <= Self.longestText else { throw .tooLarge(text) }
        let parsed: BigUInt?
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let digits = text.dropFirst(2)
            parsed = digits.isEmpty || !digits.allSatisfy(\.isHexDigit) ? nil : BigUInt(String(digits), radix: 16)
        } else {
            parsed = text.isEmpty || !text.allSatisfy({ $0.isASCII && $0.isNumber }) ? nil : BigUInt(text, radix: 10)
        }
        guard let parsed else { throw .notAnInteger(text) }
        guard let value = UInt256(parsed) else { throw .tooLarge(text) }
        self = value
    }

    /// The longest text `init(parsing:)` reads: 0x and 64 hex digits, or 78 decimal digits
    /// with a few leading zeros.
    public static let longestText = 80

    /// Minimal big-endian bytes (empty for zero), as RLP encodes integers.
    public var minimalBytes: [UInt8] { value.isZero ? [] : Array(value.serialize()) }

    /// Exactly 32 big-endian bytes, as ABI encodes `uint256`.
    public var bytes32: [UInt8] {
        let bytes = minimalBytes
        return [UInt8](repeating: 0, count: 32 - bytes.count) + bytes
    }

    /// `0x…` without leading zeros, as JSON-RPC writes quantities.
    public var hexQuantity: String { "0x" + String(value, radix: 16) }

    public var description: String { String(value) }

    public var uint64: UInt64? { value.bitWidth <= 64 ? UInt64(value) : nil }

    public func adding(_ other: UInt256) -> UInt256? { UInt256(value + other.value) }
    public func subtracting(_ other: UInt256) -> UInt256? { value >= other.value ? UInt256(unchecked: value - other.value) : nil }
    public func multiplied(by other: UInt256) -> UInt256? { UInt256(value * other.value) }

    public static func < (lhs: UInt256, rhs: UInt256) -> Bool { lhs.value < rhs.value }
}
