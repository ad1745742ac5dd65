import Foundation

/// What a message says about amounts beyond the parser's `amount` entity: a negative one, one
/// in a currency rather than a token, one whose reading depends on the language, a share of
/// the balance ("half", "all"), and the transfers of a message naming several recipients.
extension Message {
    /// "-5" or "minus 5" as written, if the message has one.
    var negativeAmount: String? {
        for (index, token) in tokens.enumerated() {
            if case .word(let word) = token.kind, let first = word.first, "-−".contains(first), word.dropFirst().first?.isNumber == true {
                return token.raw
            }
            if case .word(let word) = token.kind, ["minus", "negative"].contains(word), index + 1 < tokens.count,
               EntityExtractor(message: self).numberSpans.contains(where: { $0.index == index + 1 }) {
                return "\(word) \(tokens[index + 1].raw)"
            }
        }
        return nil
    }

    /// An amount written in a currency ("$20", "20 euros", "EUR 20"): the text and the currency's name.
    var currencyAmount: (text: String, currency: String)? {
        for (index, token) in tokens.enumerated() {
            guard case .number = token.kind else { continue }
            if let sign = token.raw.first, let name = Lexicon.currencies[String(sign)] { return (token.raw, name) }
            let after = index + 1 < tokens.count ? tokens[index + 1] : nil
            if case .word(let word)? = after?.kind, let name = Lexicon.currencies[word.trimmingCharacters(in: .punctuationCharacters)] {
                return (token.raw + (word.first?.isLetter == true ? " " : "") + after!.raw, name)
            }
            if index > 0, case .word(let word) = tokens[index - 1].kind, let name = Lexicon.currencies[word] {
                return ("\(tokens[index - 1].raw) \(token.raw)", name)
            }
        }
        return nil
    }

    /// A number whose reading depends on the language, with its readings as normalised
    /// decimals: "1.500" is 1.5 in English but 1,500 in Spanish or German, and "1,500" the other
    /// way round where the message is not in English; "1,5" is 1.5 with a decimal comma but
    /// may be 15 in English; "1 500" (a space between thousands) is 1,500, not 1 and 500.
    var ambiguousNumber: (text: String, readings: [String])? {
        let foreign = Language.of(self) != nil
        for (index, token) in tokens.enumerated() {
            guard case .number = token.kind else { continue }
            let raw = token.raw
            // "1 500": a group of three digits right after a number of one to three.
            if index + 1 < tokens.count, case .number = tokens[index + 1].kind, (1...3).contains(raw.count), raw.allSatisfy(\.isNumber),
               tokens[index + 1].raw.count == 3, tokens[index + 1].raw.allSatisfy(\.isNumber), let joined = Tokenizer.normalizedNumber(raw + tokens[index + 1].raw) {
                return ("\(raw) \(tokens[index + 1].raw)", [joined])
            }
            let separators = Set(raw.filter { $0 == "." || $0 == "," })
            guard separators.count == 1, let separator = separators.first else { continue }
            let groups = raw.split(separator: separator, omittingEmptySubsequences: false)
            guard groups.count == 2, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), groups[0].count <= 3 else { continue }
            let joined = Tokenizer.normalizedNumber(groups.joined()), decimal = Tokenizer.normalizedNumber(groups[0] + "." + groups[1])
            guard let joined, let decimal, groups[0].first != "0" || groups[0].count == 1 else { continue }
            if groups[1].count == 3, groups[0].first != "0", separator == "." || foreign { return (raw, [joined, decimal]) }
            if groups[1].count != 3, separator == ",", !foreign, groups[0] != "0" { return (raw, [decimal, joined]) }
        }
        return nil
    }

    /// A share of the balance instead of an amount: "all my S", "everything", "max", "half my
    /// balance", "a quarter of my USDC", "25% of my S"; "½ S" and "half an S" are amounts, not shares.
    var share: Share? {
        let words = self.words
        // A bare "half" or "all", answering "how much?".
        if words == ["half"] { return .fraction(numerator: 1, denominator: 2) }
        if words == ["all"] { return .all }
        if has(["everything", "max", "maximum"]) || phrase("all my") || phrase("all of my") || phrase("all of it") || phrase("all the")
            || phrase("my whole") || phrase("my entire") || phrase("my full") || phrase("the whole") || phrase("the entire") || phrase("all i have") {
            return .all
        }
        // "all S", "all of it", "send all to 0x…"; not "that's all".
        if let index = words.firstIndex(of: "all"), index + 1 < words.count {
            let next = words[index + 1]
            let objects: Set<String> = ["of", "my", "the", "funds", "coins", "tokens", "balance", "it", "that"]
            if objects.contains(next) || Lexicon.tokens[next] != nil || next == "to" && index > 0 && Lexicon.sendVerbs.contains(words[index - 1]) {
                return .all
            }
        }
        for (word, denominator) in [("half", 2), ("third", 3), ("quarter", 4)] where has(word) {
            guard let index = words.firstIndex(of: word), index + 1 < words.count else { continue }
            let next = words[(index + 1)...].prefix(2)
            if next.contains("my") || next.contains("of") && (next.contains("my") || next.contains("it") || words[(index + 1)...].contains("balance")) {
                return .fraction(numerator: 1, denominator: denominator)
            }
            // "send half to 0x…": half of the balance; "half an S" is an amount.
            if word == "half", !["a", "an"].contains(next.first ?? ""), index > 0, Lexicon.sendVerbs.contains(words[index - 1]) {
                return .fraction(numerator: 1, denominator: 2)
            }
        }
        for (index, token) in tokens.enumerated() {
            guard case .number(let value) = token.kind, let percent = Int(value), (1...100).contains(percent), index + 1 < tokens.count else { continue }
            guard case .word(let unit) = tokens[index + 1].kind, ["%", "percent"].contains(unit) || token.raw.hasSuffix("%") else { continue }
            return percent == 100 ? .all : .fraction(numerator: percent, denominator: 100)
        }
        return nil
    }

    /// "½ S", "1½ S", "half an S", "half a USDC": a fraction written as an amount, as a decimal.
    var fractionAmount: String? {
        for (index, token) in tokens.enumerated() {
            guard case .word(let word) = token.kind else { continue }
            if let last = word.last, let value = Lexicon.fractions[last] {
                let whole = String(word.dropLast())
                if whole.isEmpty { return value }
                guard let number = Int(whole) else { continue }
                return Tokenizer.normalizedNumber("\(number)" + value.dropFirst()) // "0.5" → ".5"
            }
            if word == "half", index + 1 < tokens.count, case .word(let next) = tokens[index + 1].kind, ["a", "an"].contains(next) {
                return "0.5"
            }
        }
        return nil
    }
}

/// A part of a balance a transfer may ask for instead of an amount.
public enum Share: Sendable, Hashable, Codable {
    /// Everything; of the native coin, what is left once the fee is paid.
    case all
    /// `numerator`/`denominator` of the balance: half is 1/2.
    case fraction(numerator: Int, denominator: Int)

    /// "all your S", "half of your USDC", "25/100 of your S".
    public func describe(_ token: String) -> String {
        switch self {
        case .all: "all your \(token)"
        case .fraction(1, 2): "half of your \(token)"
        case .fraction(1, 3): "a third of your \(token)"
        case .fraction(1, 4): "a quarter of your \(token)"
        case .fraction(let numerator, 100): "\(numerator)% of your \(token)"
        case .fraction(let numerator, let denominator): "\(numerator)/\(denominator) of your \(token)"
        }
    }
}
