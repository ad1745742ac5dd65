import BigInt

/// Exact conversion between decimal amounts people write and integer base units (wei).
///
/// "1.5" S is 1500000000000000000 wei. No floating point anywhere: the text is split at the
/// point and each side is an integer. More fractional digits than the token has is an error,
/// never a rounding.
public enum Units {
    /// Decimals of the named units of the native coin (as Foundry's cast names them).
    public static func decimals(of unit: String) -> Int? {
        switch unit.lowercased() {
        case "wei": 0
        case "kwei", "babbage": 3
        case "mwei", "lovelace": 6
        case "gwei", "shannon": 9
        case "szabo": 12
        case "finney": 15
        case "ether", "eth", "s", "sonic": 18
        default: Int(unit).flatMap { (0...77).contains($0) ? $0 : nil }
        }
    }

    /// Gwei, the unit people quote gas prices in: "50" or "1.5" gwei to wei.
    public static func parseGwei(_ text: String) throws(UnitsError) -> UInt256 { try parse(text, decimals: 9) }

    /// Wei as the shortest exact number of gwei: 50000000000 → "50".
    public static func formatGwei(_ wei: UInt256) -> String { format(wei, decimals: 9) }

    /// Parses a non-negative decimal amount into base units.
    /// - Parameters:
    ///   - text: digits with at most one `.`; `1`, `1.5`, `.5`, `2.` are accepted.
    ///   - decimals: the token's decimals (18 for S).
    /// - Throws: `UnitsError` saying what is wrong and what is accepted.
    public static func parse(_ text: String, decimals: Int) throws(UnitsError) -> UInt256 {
        // Refused by its length before the conversion, whose cost grows with the square of it.
        guard text.utf8.count <= UInt256.longestText + 1 + max(decimals, 0) else { throw .tooLarge(text) }
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts.contains(where: { !$0.isEmpty })
        else {
            if text.hasPrefix("-") { throw .negative(text) }
            throw .notADecimal(text)
        }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= decimals else { throw .tooManyDecimals(text, allowed: decimals) }
        let digits = String(whole) + fraction + String(repeating: "0", count: decimals - fraction.count)
        let value = BigUInt(digits.isEmpty ? "0" : digits, radix: 10) ?? 0
        guard let amount = UInt256(value) else { throw .tooLarge(text) }
        return amount
    }

    /// The shortest exact decimal for `value` base units: 1500000000000000000 with 18 → "1.5".
    public static func format(_ value: UInt256, decimals: Int) -> String {
        format(digits: String(value.value), decimals: decimals)
    }

    /// The same from the decimal digits of the base units (as stored); nil unless `digits` is
    /// a plain non-negative integer without leading zeros.
    public static func format(decimalDigits digits: String, decimals: Int) -> String? {
        let utf8 = digits.utf8
        guard let first = utf8.first, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              first != UInt8(ascii: "0") || utf8.count == 1 else { return nil }
        return format(digits: digits, decimals: decimals)
    }

    static func format(digits: String, decimals: Int) -> String {
        guard decimals > 0 else { return digits }
        let utf8 = Array(digits.utf8)
        let zero = UInt8(ascii: "0")
        let padded = [UInt8](repeating: zero, count: Swift.max(0, decimals + 1 - utf8.count)) + utf8
        let point = padded.count - decimals
        var end = padded.count
        while end > point && padded[end - 1] == zero { end -= 1 }
        guard end > point else { return String(decoding: padded[..<point], as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(end + 1)
        out += padded[..<point]
        out.append(UInt8(ascii: "."))
        out += padded[point..<end]
        return String(decoding: out, as: UTF8.self)
    }

    /// All `decimals` fractional digits, as Foundry's `cast from-wei` prints: 1.500000000000000000.
    public static func formatFixed(_ value: UInt256, decimals: Int) -> String {
        let digits = String(value.value)
        guard decimals > 0 else { return digits }
        let padded = String(repeating: "0", count: Swift.max(0, decimals + 1 - digits.count)) + digits
        return "\(padded.dropLast(decimals)).\(padded.suffix(decimals))"
    }

    /// `format` with at most `places` fractional digits, cut (never rounded up) for display,
    /// with "…" marking that digits were cut: a balance is never shown larger than it is.
    public static func formatForDisplay(_ value: UInt256, decimals: Int, places: Int) -> String {
        let exact = format(value, decimals: decimals)
        guard let point = exact.firstIndex(of: "."), exact.distance(from: point, to: exact.endIndex) - 1 > places else { return exact }
        let kept = exact[..<exact.index(point, offsetBy: places + 1)]
        let trimmed = places == 0 ? String(kept.dropLast()) : String(kept)
        return trimmed + "…"
    }
}

/// Why a number was refused.
public enum UnitsError: Error, Equatable, Sendable, CustomStringConvertible {
    case notADecimal(String)
    case notAnInteger(String)
    case negative(String)
    case tooManyDecimals(String, allowed: Int)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .notADecimal(let text): "amount \"\(Hex.preview(text))\" is not a decimal number (digits with at most one point, e.g. 1.5)"
        case .notAnInteger(let text): "\"\(Hex.preview(text))\" is not an integer (decimal digits, or 0x and hex digits)"
        case .negative(let text): "amount \"\(Hex.preview(text))\" is negative; amounts are zero or more"
        case .tooManyDecimals(let text, let allowed):
            "amount \"\(Hex.preview(text))\" has more than \(allowed) decimal places, the most this token has"
        case .tooLarge(let text): "\"\(Hex.preview(text))\" is larger than 2^256 - 1"
        }
    }
}
