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

extension DecimalAmount {
    /// Whether it is zero ("0", "0.00").
    public var isZero: Bool { text.allSatisfy { $0 == "0" || $0 == "." } }

    /// The amount for a sentence: digits grouped by thousands, every written decimal kept
    /// ("1500" → "1,500", "2.50" → "2.50"); the rules of `Units.grouped`.
    public var grouped: String {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = parts[0].drop { $0 == "0" }
        let whole = digits.isEmpty ? "0" : String(digits)
        return Units.grouping(whole) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// The amount in words, to confirm it unmistakably: "1500" → "one thousand five hundred",
    /// "1.5" → "one point five", "0.05" → "zero point zero five".
    public var spelledOut: String {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0].drop { $0 == "0" }
        let integer = whole.isEmpty ? "zero" : (UInt64(whole).map(Self.words) ?? String(whole))
        guard parts.count > 1, !parts[1].isEmpty else { return integer }
        return integer + " point " + parts[1].map { Self.digitNames[Int(String($0))!] }.joined(separator: " ")
    }

    static let digitNames = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    static let teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    static let scales: [(UInt64, String)] = [
        (1_000_000_000_000_000_000, "quintillion"), (1_000_000_000_000_000, "quadrillion"), (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"),
    ]

    /// A whole number in English words.
    static func words(_ number: UInt64) -> String {
        if number == 0 { return "zero" }
        var rest = number
        var parts: [String] = []
        for (scale, name) in scales where rest >= scale {
            parts.append(words(rest / scale) + " " + name)
            rest %= scale
        }
        if rest >= 100 {
            parts.append(digitNames[Int(rest / 100)] + " hundred")
            rest %= 100
        }
        if rest >= 20 {
            parts.append(tens[Int(rest / 10)] + (rest % 10 == 0 ? "" : "-" + digitNames[Int(rest % 10)]))
        } else if rest >= 10 {
            parts.append(teens[Int(rest - 10)])
        } else if rest > 0 {
            parts.append(digitNames[Int(rest)])
        }
        return parts.joined(separator: " ")
    }
}
