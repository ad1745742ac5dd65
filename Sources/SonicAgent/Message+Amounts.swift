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
        // "send it all", "actually send them all".
        if let index = words.firstIndex(of: "all"), index > 0, ["it", "them"].contains(words[index - 1]),
           index + 1 == words.count || ["to", "please", "now", "instead"].contains(words[index + 1]) {
            return .all
        }
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

/// Amounts written so that reading them one way would be a guess: the planner asks instead of
/// preparing anything (`Planner.readAmount`, `Planner.defiAmount`).
extension Message {
    /// The question for an amount that cannot be read as written, or nil: digits the reader
    /// cannot take ("5e2", "1_000"), more than all of a balance ("150%"), alternatives ("5 or 50"),
    /// a unit other than the token's ("5 wei", "2 gwei"), or all of it but some ("all but 1").
    func amountProblem(token name: String, native: Bool) -> String? {
        if let written = unreadableNumber {
            if let value = Tokenizer.scientific(written), let amount = try? DecimalAmount(value) {
                return "I don't read amounts in e-notation, so that no power of ten is misread: \(written) would be \(amount.grouped) \(name) "
                    + "(\(amount.spelledOut)). Write the amount in plain digits, for example \(amount.text)."
            }
            return "I can't read \(written) as an amount: write it with digits and at most one point for decimals, for example 1000 or 2.5."
        }
        if let percent = excessPercent {
            return "\(percent)% is more than all of your \(name): a share can be at most 100% (all of it). How much \(name) do you mean?"
        }
        if let (first, second) = alternativeAmounts {
            return "Which amount do you mean: \(first) \(name) or \(second) \(name)? Say one."
        }
        if let (written, unit, shift) = unitAmount {
            let value = Tokenizer.shifted(written, by: shift)
            guard native, let amount = try? DecimalAmount(value) else {
                return "\(written) \(unit) is not an amount of \(name): \(unit) is a unit of S. How much \(name) do you mean?"
            }
            guard (value.split(separator: ".").dropFirst().first?.count ?? 0) <= 18 else {
                return "\(written) \(unit) is less than 1 wei, the smallest amount of \(name) there is. How much \(name) do you mean?"
            }
            return "\(written) \(unit) is \(amount.text) \(name). I take amounts in \(name), to be sure of the power of ten: "
                + "say \"\(amount.text) \(name)\" if that is what you mean."
        }
        if let kept = allButAmount {
            return "Do you mean all your \(name) except \(kept) \(name)? I send either all of it or an exact amount: say how much \(name) to send."
        }
        return nil
    }

    /// Digits written so that the reader cannot take them ("5e2", "1_000", "1.5.5"), as written.
    /// A reference or a date ("invoice 2024.01.15", "on 1.2.2025") is no amount and is let be.
    var unreadableNumber: String? {
        tokens.indices.first { index in
            guard case .word = tokens[index].kind, Tokenizer.isMalformedNumber(tokens[index].raw.trimmingCharacters(in: CharacterSet(charactersIn: "."))) else { return false }
            let before = index > 0 ? tokens[index - 1].raw.lowercased() : ""
            return !Self.notBeforeAnAmount.contains(before) && !Self.months.contains(before) && !["date", "dated", "since", "until", "by"].contains(before)
        }.map { tokens[$0].raw }
    }

    /// A percentage above 100 ("150% of my S"), as its number.
    var excessPercent: String? {
        for (index, token) in tokens.enumerated() {
            guard case .number(let value) = token.kind else { continue }
            let whole = value.split(separator: ".", maxSplits: 1)[0]
            guard whole.count > 3 || (Int(whole) ?? 0) > 100 || whole == "100" && value.contains(".") else { continue }
            let unit = index + 1 < tokens.count ? tokens[index + 1].kind : nil
            if token.raw.hasSuffix("%") || unit == .word("%") || unit == .word("percent") { return value }
        }
        return nil
    }

    /// Two amounts offered as alternatives: "5 or 50 S", "5 S or 50 S".
    var alternativeAmounts: (String, String)? {
        let spans = EntityExtractor(message: self).numberSpans
        let identifiers = spans.filter { $0.index > 0 && Self.notBeforeAnAmount.contains(tokens[$0.index - 1].raw.lowercased()) }.map(\.index)
        for (first, second) in zip(spans, spans.dropFirst()) where first.value != second.value && !identifiers.contains(first.index) {
            let between = tokens[(first.index + 1)..<second.index].compactMap { token -> String? in
                if case .word(let word) = token.kind { return word }
                return nil
            }
            let joiner = between.filter { Lexicon.tokens[$0] == nil }
            if joiner == ["or"] || joiner == ["or", "maybe"] || joiner == ["maybe"] || joiner == ["either"] { return (first.value, second.value) }
        }
        return nil
    }

    /// An amount said in wei or gwei ("5 wei", "2 gwei of S"), not a gas price ("at 50 gwei",
    /// "gas price 10000 gwei"): the number, the unit, and the power of ten to S.
    var unitAmount: (String, String, Int)? {
        for (index, token) in tokens.enumerated() {
            guard case .number(let value) = token.kind, index + 1 < tokens.count, case .word(let unit) = tokens[index + 1].kind,
                  let shift = ["wei": -18, "gwei": -9][unit] else { continue }
            let before = tokens[max(0, index - 3)..<index].compactMap { token -> String? in
                if case .word(let word) = token.kind { return word }
                return nil
            }
            if before.contains(where: { Lexicon.gasWords.contains($0) || ["price", "at", "tip", "priority", "max", "maxfee"].contains($0) }) { continue }
            return (value, unit, shift)
        }
        return nil
    }

    /// "all but 1 S", "everything except 2", "all minus 0.5": all of a balance but an amount kept.
    /// "send all my S to 0x… except 1 S", "everything to 0x… but keep 2", "all of it, leave 1 for gas".
    var allButAmount: String? {
        let spans = EntityExtractor(message: self).numberSpans
        let all: [Tokenizer.Kind] = [.word("all"), .word("everything"), .word("balance"), .word("max"), .word("entire"), .word("whole")]
        for (index, token) in tokens.enumerated() {
            guard case .word(let word) = token.kind, ["but", "except", "minus", "less", "keep", "leave", "leaving", "keeping", "save", "spare"].contains(word), index > 0 else { continue }
            guard tokens[max(0, index - 12)..<index].contains(where: { all.contains($0.kind) }) else { continue }
            if let span = spans.first(where: { $0.index > index && $0.index <= index + 3 }) { return span.value }
        }
        return nil
    }
}
