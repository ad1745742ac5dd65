import Ethereum

/// An amount as the person wrote it ("2.5", ".5", "1000"): decimal digits and at most one point,
/// kept exactly, with no floating point. It becomes base units only where a token's decimals are
/// known (`baseUnits(decimals:)`, with `Units.parse`'s rules).
public struct DecimalAmount: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// The digits and point as written.
    public let text: String

    /// - Throws: `UnitsError.notADecimal` (or `.negative`) unless `text` is digits with at most
    ///   one point and at least one digit; `.tooLarge` for more digits than any 256-bit amount has.
    public init(_ text: String) throws(UnitsError) {
        guard text.utf8.count <= UInt256.longestText * 2 else { throw .tooLarge(text) }
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts.contains(where: { !$0.isEmpty }) else {
            throw text.hasPrefix("-") ? .negative(text) : .notADecimal(text)
        }
        self.text = text
    }

    /// The amount in base units of a token with `decimals` decimals: "1.5" with 18 is 1.5 × 10¹⁸.
    /// - Throws: `UnitsError.tooManyDecimals` when written with more places than the token has
    ///   (never rounded), `.tooLarge` above 2²⁵⁶ − 1.
    public func baseUnits(decimals: Int) throws(UnitsError) -> UInt256 { try Units.parse(text, decimals: decimals) }

    public var description: String { text }

    /// In JSON, the text as written (`Codable` through the raw value); nil unless a decimal.
    public init?(rawValue: String) { try? self.init(rawValue) }

    public var rawValue: String { text }
}
