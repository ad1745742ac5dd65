/// Amounts as people read them in sentences. The rules are test vectors in one file,
/// Tests/Fixtures/amount-format.json (amount in base units, decimals, style → text), read by
/// the Swift tests and by the page scripts' (Public/js/format.js, the same rules).
///
/// - `exact`: every digit, the whole part grouped by thousands: 1500.25 S is "1,500.25".
/// - `readable`: the same, with the fraction cut (never rounded up, so never shown larger than
///   it is) to `places` decimals, or to four significant digits below 1; "…" marks a cut.
/// - `balance` (context "balance" in the vectors): a balance or a listed amount on the
///   dashboard: at most 4 decimals, cut the same way; dust below 0.0001 reads "< 0.0001".
extension Units {
    /// `value` in full, its whole part grouped by thousands with commas.
    public static func exact(_ value: UInt256, decimals: Int) -> String {
        let plain = format(value, decimals: decimals)
        let parts = plain.split(separator: ".", maxSplits: 1)
        return grouping(String(parts[0])) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// `value` for reading: grouped, at most `places` decimals from 1 up, four significant
    /// digits below 1, cut and marked "…" when digits were dropped.
    public static func readable(_ value: UInt256, decimals: Int, places: Int = 6) -> String {
        let plain = format(value, decimals: decimals)
        let parts = plain.split(separator: ".", maxSplits: 1)
        let whole = grouping(String(parts[0]))
        guard parts.count > 1 else { return whole }
        let fraction = parts[1]
        let keep: Int
        if parts[0] == "0" {
            let zeros = fraction.prefix { $0 == "0" }.count
            keep = max(places, zeros + 4)
        } else {
            keep = places
        }
        guard fraction.count > keep else { return whole + "." + fraction }
        var kept = String(fraction.prefix(keep))
        while kept.last == "0" { kept.removeLast() }
        return (kept.isEmpty ? whole : whole + "." + kept) + "…"
    }

    /// `value` as the dashboard shows a balance: grouped, at most 4 decimals (cut, "…"), and a
    /// non-zero amount below 0.0001 of the unit as "< 0.0001".
    public static func balance(_ value: UInt256, decimals: Int) -> String {
        let parts = format(value, decimals: decimals).split(separator: ".", maxSplits: 1)
        let whole = grouping(String(parts[0]))
        guard parts.count > 1 else { return whole }
        let fraction = parts[1]
        // Below 0.0001: the whole part and the first four decimals are zeros, a later one is not.
        if parts[0] == "0", fraction.prefix(4).allSatisfy({ $0 == "0" }), fraction.count > 4 { return "< 0.0001" }
        guard fraction.count > 4 else { return whole + "." + fraction }
        var kept = String(fraction.prefix(4))
        while kept.last == "0" { kept.removeLast() }
        return (kept.isEmpty ? whole : whole + "." + kept) + "…"
    }

    /// Decimal digits grouped by three from the right: "1234567" → "1,234,567".
    public static func grouping(_ digits: String) -> String {
        guard digits.count > 3 else { return digits }
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return groups.joined(separator: ",")
    }
}
