import Foundation

/// Splits a message into the pieces the parser reasons about: hashes and addresses anywhere in
/// the text, numbers (with thousands separators, leading points and number words), quoted
/// strings, arrows and words.
struct Tokenizer {
    enum Kind: Equatable {
        case hash(String)      // 0x + 64 hex, lower-cased
        case address(String)   // 0x + 40 hex, lower-cased
        case number(String)    // normalised decimal
        case word(String)      // lower-cased, punctuation trimmed
        case quoted(String)    // as written
        case arrow
    }

    struct Token: Equatable {
        let kind: Kind
        /// The text as written (for names, symbols in capitals).
        let raw: String
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            if character == "\"" || character == "“" || character == "”" || (character == "'" && index + 1 < characters.count && startsQuote(characters, index)) {
                let close: Set<Character> = character == "'" ? ["'"] : ["\"", "”", "“"]
                var end = index + 1
                while end < characters.count && !close.contains(characters[end]) { end += 1 }
                if end < characters.count {
                    let inner = String(characters[(index + 1)..<end])
                    tokens.append(Token(kind: .quoted(inner), raw: inner))
                    index = end + 1
                    continue
                }
                index += 1
                continue
            }
            if character == "-" && index + 1 < characters.count && characters[index + 1] == ">" {
                tokens.append(Token(kind: .arrow, raw: "->"))
                index += 2
                continue
            }
            if character == "→" {
                tokens.append(Token(kind: .arrow, raw: "→"))
                index += 1
                continue
            }
            // A run of non-space characters.
            var end = index
            while end < characters.count && !characters[end].isWhitespace && !(characters[end] == "-" && end + 1 < characters.count && characters[end + 1] == ">") {
                end += 1
            }
            let piece = String(characters[index..<end])
            index = end
            tokens += classify(piece)
        }
        return tokens
    }

    private static func startsQuote(_ characters: [Character], _ index: Int) -> Bool {
        // An apostrophe opens a quote only at a word start and when a closing one follows.
        (index == 0 || characters[index - 1].isWhitespace) && characters[(index + 1)...].contains("'")
    }

    private static func classify(_ piece: String) -> [Token] {
        let trimmed = piece.trimmingCharacters(in: CharacterSet(charactersIn: ",;:!?()[]{}<>“”\"`*"))
        // Hex: 0x… anywhere, possibly followed by punctuation.
        if let hex = hexValue(trimmed) {
            if hex.count == 66 { return [Token(kind: .hash(hex), raw: trimmed)] }
            if hex.count == 42 { return [Token(kind: .address(hex), raw: trimmed)] }
        }
        // "0x1234abcd", "0x7099…79C8": written as an address but not one; a word the planner explains.
        if trimmed.lowercased().hasPrefix("0x"), trimmed.count > 2 {
            return [Token(kind: .word(trimmed.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".?!"))), raw: trimmed)]
        }
        // 40 or 64 hex digits without their 0x: an address or hash missing its prefix, never a number.
        if [40, 64].contains(trimmed.count), trimmed.allSatisfy(\.isHexDigit), trimmed.contains(where: \.isLetter) {
            return [Token(kind: .word(trimmed.lowercased()), raw: trimmed)]
        }
        var core = trimmed
        while let last = core.last, ".".contains(last), core.count > 1, !isNumber(core) { core.removeLast() }
        if let number = normalizedNumber(core) { return [Token(kind: .number(number), raw: core)] }
        // "5e2", "1_000", "1.5.5", "5,000,00": digits the reader cannot take as one amount stay a
        // word, never a part of them ("5e2" is not 5); the planner asks (`Message.unreadableNumber`).
        if Self.isMalformedNumber(core) { return [Token(kind: .word(core.lowercased()), raw: core)] }
        // "17:30", "9:05am": a time of day, a word (`Message.scheduling` reads it), never 17.
        let clock = core.lowercased().replacingOccurrences(of: "am", with: "").replacingOccurrences(of: "pm", with: "").split(separator: ":", omittingEmptySubsequences: false)
        if clock.count == 2, (1...2).contains(clock[0].count), clock[1].count == 2, clock.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            return [Token(kind: .word(core.lowercased()), raw: core)]
        }
        // "2k", "1.5m": thousands and millions.
        if let last = core.last, "kKmM".contains(last), let number = normalizedNumber(String(core.dropLast())) {
            return [Token(kind: .number(scaled(number, by: last.lowercased() == "k" ? 3 : 6)), raw: core)]
        }
        // "1/2", "3/4": a fraction is its exact decimal; one without ("1/3") stays a word, never "1".
        let halves = core.split(separator: "/", omittingEmptySubsequences: false)
        if halves.count == 2, let numerator = UInt64(halves[0]), let denominator = UInt64(halves[1]), (1...1_000_000_000_000).contains(denominator) {
            return [Token(kind: exactDecimal(numerator, denominator).map(Kind.number) ?? .word(core), raw: core)]
        }
        // "2.5S", "10usdc", "$5": a number glued to a symbol.
        if let split = core.firstIndex(where: { !($0.isNumber || $0 == "." || $0 == ",") }), split != core.startIndex,
           let number = normalizedNumber(String(core[..<split])) {
            let rest = String(core[split...])
            return [Token(kind: .number(number), raw: String(core[..<split])), Token(kind: .word(rest.lowercased()), raw: rest)]
        }
        // "$5", "€20", "£3": the sign stays in `raw`, where the planner sees a currency.
        if let sign = core.first, "$€£¥".contains(sign), let number = normalizedNumber(String(core.dropFirst())) {
            return [Token(kind: .number(number), raw: core)]
        }
        let word = core.lowercased()
        guard !word.isEmpty else { return [] }
        // "S/USDC", "usdc->s" inside one piece; "S-USDC" when both sides are tokens.
        if word.contains("/") && !word.hasPrefix("http") {
            return word.split(separator: "/").map { Token(kind: .word(String($0)), raw: String($0)) }
        }
        let pair = word.split(separator: "-")
        if pair.count == 2, pair.allSatisfy({ Lexicon.tokens[String($0)] != nil }) {
            return pair.map { Token(kind: .word(String($0)), raw: String($0)) }
        }
        return [Token(kind: .word(word), raw: core)]
    }

    private static func hexValue(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.hasPrefix("0x"), lower.dropFirst(2).allSatisfy(\.isHexDigit) else {
            // "0xabc…," with trailing characters already trimmed; "0x…'s" possessive.
            if lower.hasPrefix("0x"), let end = lower.dropFirst(2).firstIndex(where: { !$0.isHexDigit }) {
                let hex = String(lower[..<end])
                return hex.count == 42 || hex.count == 66 ? hex : nil
            }
            return nil
        }
        return lower
    }

    static func isNumber(_ text: String) -> Bool { normalizedNumber(text) != nil }

    /// Written as a number but not one the reader takes: e-notation ("5e2", "2.5e-3"), digits
    /// with underscores or apostrophes ("1_000", "1'000"), several points ("1.5.5") or groups
    /// that are not thousands ("5,000,00").
    static func isMalformedNumber(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isNumber || first == "." && text.dropFirst().first?.isNumber == true else { return false }
        if scientific(text) != nil { return true }
        // "1,000e2", "5e2.5": e-notation the reader cannot take exactly is still not a number.
        let lower = text.lowercased()
        if let e = lower.firstIndex(of: "e"), lower[..<e].contains(where: \.isNumber),
           lower[lower.index(after: e)...].allSatisfy({ $0.isNumber || ".,+-".contains($0) }), lower[lower.index(after: e)...].contains(where: \.isNumber),
           lower[..<e].allSatisfy({ $0.isNumber || ".,_'".contains($0) }) {
            return true
        }
        let allowed = Set("0123456789.,_'")
        return text.allSatisfy(allowed.contains) && normalizedNumber(text) == nil
    }

    /// The exact decimal an e-notation number stands for ("5e2" → "500", "2.5e-3" → "0.0025");
    /// nil for anything else, and for exponents beyond ±80 (no amount has them).
    static func scientific(_ text: String) -> String? {
        let lower = text.lowercased()
        guard let e = lower.firstIndex(of: "e") else { return nil }
        let mantissa = String(lower[..<e]), exponentText = String(lower[lower.index(after: e)...])
        guard let base = normalizedNumber(mantissa), !mantissa.contains(","),
              exponentText.count <= 4, let exponent = Int(exponentText.hasPrefix("+") ? String(exponentText.dropFirst()) : exponentText),
              (-80...80).contains(exponent) else { return nil }
        return shifted(base, by: exponent)
    }

    /// A normalised decimal times 10^places, exactly, for places of either sign: "1.5" by 3 →
    /// "1500", "5" by -2 → "0.05".
    static func shifted(_ number: String, by places: Int) -> String {
        if places >= 0 { return scaled(number, by: places) }
        let parts = number.split(separator: ".", maxSplits: 1)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        let padded = String(repeating: "0", count: max(0, -places - whole.count + 1)) + whole
        let point = padded.index(padded.endIndex, offsetBy: places)
        return normalizedNumber(String(padded[..<point]) + "." + padded[point...] + fraction) ?? number
    }

    /// `numerator`/`denominator` as a decimal when it has a finite one (1/2 → "0.5", 3/4 →
    /// "0.75"); nil for 1/3 and the like.
    static func exactDecimal(_ numerator: UInt64, _ denominator: UInt64) -> String? {
        var rest = numerator % denominator
        var digits = ""
        while rest != 0 && digits.count < 18 {
            rest *= 10
            digits += String(rest / denominator)
            rest %= denominator
        }
        guard rest == 0 else { return nil }
        return normalizedNumber(digits.isEmpty ? "\(numerator / denominator)" : "\(numerator / denominator).\(digits)")
    }

    /// A normalised decimal times 10^places, exactly: "1.5" by 3 → "1500".
    static func scaled(_ number: String, by places: Int) -> String {
        let parts = number.split(separator: ".", maxSplits: 1)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let shifted = whole + fraction.prefix(places) + String(repeating: "0", count: max(0, places - fraction.count))
        let rest = fraction.count > places ? String(fraction.dropFirst(places)) : ""
        return normalizedNumber(rest.isEmpty ? shifted : "\(shifted).\(rest)") ?? number
    }

    /// "1,250" → "1250", ".3" → "0.3", "100.000" → "100", "2." → "2"; nil for anything else.
    static func normalizedNumber(_ text: String) -> String? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }), text.contains(where: \.isNumber)
        else { return nil }
        var digits = text
        if digits.contains(",") {
            let groups = digits.split(separator: ".", maxSplits: 1)[0].split(separator: ",", omittingEmptySubsequences: false)
            guard groups.count > 1, groups.dropFirst().allSatisfy({ $0.count == 3 }), (1...3).contains(groups[0].count) else {
                // "1,5" written with a decimal comma.
                if groups.count == 2, !digits.contains(".") { digits = digits.replacingOccurrences(of: ",", with: ".") } else { return nil }
                return normalizedNumber(digits)
            }
            digits = digits.replacingOccurrences(of: ",", with: "")
        }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        var whole = String(parts[0]).drop { $0 == "0" }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        while fraction.last == "0" { fraction.removeLast() }
        if whole.isEmpty { whole = "0" }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }
}
