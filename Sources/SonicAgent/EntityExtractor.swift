import Foundation

/// Entities for an intent, normalised as the evaluation set defines them.
struct EntityExtractor {
    let message: Message

    func entities(for intent: Intent) -> Entities {
        var entities = Entities()
        switch intent {
        case .balanceCheck:
            entities.address = message.addresses.first
            entities.token = namedToken() ?? "S"
        case .sendTransaction:
            let (amount, token) = amountAndToken()
            entities.amount = amount
            entities.token = token ?? namedToken() ?? "S"
            entities.to = recipient()
        case .transactionHistory:
            entities.address = message.addresses.first
            entities.limit = limit()
        case .transactionStatus:
            entities.txHash = message.hashes.first
        case .nftCreation:
            (entities.name, entities.description) = nameAndDescription()
        case .subscriptionPurchase:
            entities.months = months()
        case .swap:
            // "with 1% slippage" is the planner's, not an amount.
            let (amount, token) = amountAndToken(excluding: notAmounts)
            entities.amount = amount
            (entities.tokenIn, entities.tokenOut) = message.has(Lexicon.wrapWords) ? wrapTokens() : swapTokens(amountToken: token)
        case .defiQuery:
            entities = defiEntities()
        case .tokenApproval:
            entities = approvalEntities()
        case .subscriptionStatus, .gasPrice, .generalQuery:
            break
        }
        return entities
    }

    // MARK: - Amounts and tokens

    /// Positions of numbers in the token stream, with number words joined ("twenty five" → 25).
    var numberSpans: [(index: Int, value: String)] {
        var spans: [(Int, String)] = []
        var index = 0
        let tokens = message.tokens
        // "one and a half", "2 and a quarter": a whole number and a fraction said after it.
        func fraction(after end: Int) -> String? {
            guard end + 2 < tokens.count, tokens[end].kind == .word("and"), tokens[end + 1].kind == .word("a") else { return nil }
            return ["half": "5", "quarter": "25"][{ if case .word(let word) = tokens[end + 2].kind { return word }; return "" }()]
        }
        while index < tokens.count {
            if case .number(let value) = tokens[index].kind {
                // "5 million", "1.5 thousand", "9 billion billion", "5 thousand 500": scale words said
                // after digits, and a smaller number said after them.
                var end = index + 1, scaled = value, places = 0
                while end < tokens.count, case .word(let next) = tokens[end].kind, let scale = Self.scales[next], places + scale <= 80 {
                    scaled = Tokenizer.scaled(scaled, by: scale)
                    places += scale
                    end += 1
                }
                if end > index + 1 {
                    if end < tokens.count, case .number(let rest) = tokens[end].kind, !rest.contains("."), !value.contains("."), rest.count <= places {
                        scaled = String(scaled.dropLast(rest.count)) + rest
                        end += 1
                    }
                    spans.append((index, scaled))
                    index = end
                    continue
                }
                if !value.contains("."), let digits = fraction(after: index + 1) {
                    spans.append((index, value + "." + digits))
                    index += 4
                    continue
                }
                spans.append((index, value))
                index += 1
                continue
            }
            if case .word = tokens[index].kind, let (total, end) = numberWords(from: index) {
                if let digits = fraction(after: end) {
                    spans.append((index, "\(total).\(digits)"))
                    index = end + 3
                    continue
                }
                spans.append((index, String(total)))
                index = end
                continue
            }
            index += 1
        }
        return spans
    }

    /// Powers of ten the scale words after digits stand for ("5 million").
    static let scales = ["hundred": 2, "thousand": 3, "million": 6, "billion": 9]

    /// The number said in words from `start` ("twenty five", "a hundred and five", "one thousand
    /// two hundred"), and the index after it; nil unless a number word is there. "a"/"an" count
    /// only before a scale ("a hundred"), "and" only between a scale and what follows it.
    func numberWords(from start: Int) -> (Int, Int)? {
        let tokens = message.tokens
        func value(_ index: Int) -> Int? {
            guard index < tokens.count, case .word(let word) = tokens[index].kind, let value = Lexicon.numberWords[word], !["half", "single"].contains(word) else { return nil }
            // "the right one", "that one": a pronoun, not a number.
            if word == "one", index > start || index == start, index > 0, case .word(let before) = tokens[index - 1].kind,
               ["the", "this", "that", "right", "correct", "wrong", "new", "other", "last", "first", "same", "which", "every", "no"].contains(before) {
                return nil
            }
            if ["a", "an"].contains(word) {
                guard index + 1 < tokens.count, case .word(let next) = tokens[index + 1].kind, [100, 1000, 1_000_000, 1_000_000_000, 12].contains(Lexicon.numberWords[next] ?? 0) else { return nil }
            }
            return value
        }
        guard value(start) != nil else { return nil }
        // A scale at least as large as every one before it multiplies all said so far ("a thousand
        // million" is 10⁹); a smaller one adds its group ("two million three thousand"). A number
        // too large for 64 bits ends the reading (no amount is that large; the amount is then asked for).
        var total: UInt64 = 0, group: UInt64 = 0, largest: UInt64 = 0, end = start, lastWasScale = false
        func times(_ a: UInt64, _ b: UInt64) -> UInt64? { let (product, overflow) = a.multipliedReportingOverflow(by: b); return overflow ? nil : product }
        func plus(_ a: UInt64, _ b: UInt64) -> UInt64? { let (sum, overflow) = a.addingReportingOverflow(b); return overflow ? nil : sum }
        while true {
            if let more = value(end).map(UInt64.init) {
                if more == 100 {
                    guard let next = times(max(group, 1), 100) else { return nil }
                    group = next
                    lastWasScale = true
                } else if more >= 1000 {
                    if more >= largest {
                        guard let sum = plus(total, group), let next = times(max(sum, 1), more) else { return nil }
                        total = next
                        largest = more
                    } else {
                        guard let part = times(max(group, 1), more), let next = plus(total, part) else { return nil }
                        total = next
                    }
                    group = 0
                    lastWasScale = true
                } else {
                    guard let next = plus(group, more) else { return nil }
                    group = next
                    lastWasScale = false
                }
                end += 1
                continue
            }
            // "a hundred and five"; not "one and a half" (a fraction, read by the caller).
            if lastWasScale, end + 1 < tokens.count, tokens[end].kind == .word("and"), let next = value(end + 1), next < 100, tokens[end + 1].kind != .word("a") {
                end += 1
                continue
            }
            break
        }
        guard let sum = plus(total, group), sum <= UInt64(Int.max) else { return nil }
        return (Int(sum), end)
    }

    /// The token symbol a word names, if it is one: a known spelling, or a short all-capitals
    /// word right after an amount ("10 USDT").
    func symbol(at index: Int, afterAmount: Bool) -> String? {
        guard index < message.tokens.count, case .word(let word) = message.tokens[index].kind else { return nil }
        let cleaned = word.trimmingCharacters(in: CharacterSet(charactersIn: ".,!?;:"))
        if let known = Lexicon.tokens[cleaned] { return known }
        // "wrapped sonic", "wrapped S", "wrapped eth": the wrapped form of the token named.
        if cleaned == "wrapped", index + 1 < message.tokens.count, case .word(let next) = message.tokens[index + 1].kind {
            if next.hasPrefix("sonic") { return "WS" }
            if let base = Lexicon.tokens[next.trimmingCharacters(in: CharacterSet(charactersIn: ".,!?;:"))], !base.hasPrefix("W") { return "W" + base }
        }
        guard afterAmount, !Lexicon.notTokens.contains(cleaned) else { return nil }
        let raw = message.tokens[index].raw.trimmingCharacters(in: CharacterSet(charactersIn: ",!?;:"))
        let letters = raw.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: ".", with: "")
        guard (2...10).contains(letters.count), letters.allSatisfy({ $0.isLetter || $0.isNumber }), letters.first!.isLetter,
              raw == raw.uppercased() || raw.hasPrefix("$") else { return nil }
        return letters.uppercased()
    }

    /// The amount, and the token written next to it ("2.5 S", "USDC 10"); numbers at `skipped`
    /// are not amounts.
    func amountAndToken(excluding skipped: Set<Int> = []) -> (String?, String?) {
        let spans = numberSpans.filter { !isMonthsOrLimit($0.index) && !skipped.contains($0.index) }
        for span in spans {
            if span.index + 1 < message.tokens.count, case .address(let contract) = message.tokens[span.index + 1].kind,
               message.tokenAddresses.contains(contract) {
                return (span.value, contract)
            }
            if let token = symbol(at: span.index + 1, afterAmount: true) { return (span.value, token) }
            if span.index > 0, let token = symbol(at: span.index - 1, afterAmount: false), !isNetworkMention(span.index - 1) { return (span.value, token) }
        }
        if let first = spans.first { return (first.value, nil) }
        return (nil, nil)
    }

    func isMonthsOrLimit(_ index: Int) -> Bool {
        guard index + 1 < message.tokens.count, case .word(let next) = message.tokens[index + 1].kind else { return false }
        return ["months", "month", "days", "day", "years", "year", "times"].contains(next)
    }

    /// "on sonic", "the sonic network": the chain, not the coin.
    func isNetworkMention(_ index: Int) -> Bool {
        guard case .word(let word) = message.tokens[index].kind, word.hasPrefix("sonic") else { return false }
        if index > 0, case .word(let previous) = message.tokens[index - 1].kind, ["on", "to", "of", "about", "into"].contains(previous) {
            return index + 1 >= message.tokens.count || {
                if case .word(let next) = message.tokens[index + 1].kind { return !["tokens", "token", "coins"].contains(next) }
                return true
            }()
        }
        if index + 1 < message.tokens.count, case .word(let next) = message.tokens[index + 1].kind, ["network", "chain", "testnet", "mainnet", "labs"].contains(next) {
            return true
        }
        return false
    }

    /// The first token named: not the chain ("on sonic") nor a place ("on Shadow", "the Beets
    /// vault"); with `capitals`, also a symbol in capitals that we do not list ("SUSD").
    func namedToken(capitals: Bool = false) -> String? {
        let capitals = capitals && message.text != message.text.uppercased()
        for index in message.tokens.indices where !isNetworkMention(index) && !isVenue(index) {
            if let token = symbol(at: index, afterAmount: capitals) { return token }
        }
        return nil
    }

    /// A protocol that is also a token's name, used as a place: "on Shadow", "the Beets vault".
    private func isVenue(_ index: Int) -> Bool {
        guard let name = word(at: index), Lexicon.venues.contains(name) else { return false }
        let before = word(at: index - 1) ?? "", after = word(at: index + 1) ?? ""
        return ["on", "at", "via", "through", "using", "from", "in", "to", "the"].contains(before) || Lexicon.spenderWords.contains(after)
    }

    /// The recipient: the address after "to"/"into", else the only address.
    private func recipient() -> String? {
        let tokens = message.tokens
        for (index, token) in tokens.enumerated() {
            guard case .address(let address) = token.kind else { continue }
            if index > 0, case .word(let previous) = tokens[index - 1].kind, ["to", "into", "towards", "recipient", "address"].contains(previous) {
                return address
            }
        }
        return message.addresses.first
    }

    /// In a swap, the token given and the token wanted, in the order written; "buy X with Y"
    /// turns it round, and so does "how much X would I get for 20 Y" (the amount's token is given).
    private func swapTokens(amountToken: String?) -> (String?, String?) {
        let mentions = swapMentions()
        guard let first = mentions.first else { return (nil, nil) }
        let second = mentions.dropFirst().first
        if message.has("buy"), message.has("with"), let second { return (second, first) }
        if message.has(["get", "receive"]), let second, amountToken == second, first != second { return (second, first) }
        // "how much USDC will 75 S buy me?": the token asked about is the one wanted.
        if let second, amountToken == second, first != second, asksHowMuch(of: first) { return (second, first) }
        return (first, second)
    }

    /// Whether the message asks "how much"/"how many" of `token` ("how many stS would…").
    private func asksHowMuch(of token: String) -> Bool {
        message.tokens.indices.contains { index in
            ["much", "many"].contains(word(at: index) ?? "") && word(at: index - 1) == "how" && symbol(at: index + 1, afterAmount: true) == token
        }
    }

    /// The tokens a swap names, in the order written, a repeat right after itself dropped.
    func swapMentions() -> [String] {
        var mentions: [String] = []
        // "change 40 USDC into sonic": after a token given, "into sonic" names the coin wanted.
        for index in message.tokens.indices where (!isNetworkMention(index) || !mentions.isEmpty && ["into", "to", "for"].contains(word(at: index - 1) ?? ""))
            && word(at: index - 1) != "wrapped" {
            let afterNumber = index > 0 && { if case .number = message.tokens[index - 1].kind { return true }; return false }()
            if let symbol = symbol(at: index, afterAmount: afterNumber), mentions.last != symbol {
                mentions.append(symbol)
            }
        }
        return mentions
    }

    // MARK: - Counts

    /// "last 5 transactions", "20 most recent", "last ten".
    private func limit() -> Int? {
        let cues: Set<String> = ["last", "latest", "recent", "first", "top", "past", "previous", "newest"]
        let items: Set<String> = ["transactions", "transaction", "txs", "tx", "txns", "transfers", "payments", "entries", "items", "activities", "sends"]
        for span in numberSpans {
            guard let value = Int(span.value), value > 0, value <= 10_000 else { continue }
            let before = span.index > 0 ? word(at: span.index - 1) : nil
            let after = word(at: span.index + 1)
            // "in the last 3 days": a span of time, not a count of transactions.
            if let after, Self.timeUnits.contains(after) { continue }
            if let before, cues.contains(before) { return value }
            if let after, items.contains(after) || cues.contains(after) || after == "most" { return value }
        }
        return nil
    }

    /// Units of a span of time ("the past 3 days", "the last 2 weeks").
    static let timeUnits: Set<String> = ["minute", "minutes", "mins", "hour", "hours", "hrs", "day", "days", "week", "weeks", "month", "months", "year", "years"]

    /// Months of a subscription: "3 months", "six months", "another month", "a year".
    private func months() -> Int? {
        let tokens = message.tokens
        for index in tokens.indices {
            guard let unit = word(at: index), ["month", "months", "year", "years", "mo", "mos"].contains(unit) else { continue }
            let factor = unit.hasPrefix("year") ? 12 : 1
            guard index > 0 else { continue }
            if case .number(let value) = tokens[index - 1].kind, let count = Int(value) { return Self.saturating(count, factor) }
            if let previous = word(at: index - 1) {
                // "half a year" is 6 months.
                if ["a", "an"].contains(previous), word(at: index - 2) == "half", factor == 12 { return 6 }
                if let count = Lexicon.numberWords[previous], count > 0 { return Self.saturating(count, factor) }
                if ["another", "one", "a", "an", "extra", "additional", "single"].contains(previous) { return factor }
                if let span = numberSpans.last(where: { $0.index < index }), span.index >= index - 3, let count = Int(span.value) { return Self.saturating(count, factor) }
            }
        }
        return nil
    }

    /// `count` × `factor`, or `Int.max` past it: a count a message says is bounded by its rule
    /// afterwards ("1 to 36 months"), never a trap ("999999999999999999 years").
    static func saturating(_ count: Int, _ factor: Int) -> Int {
        let (product, overflow) = count.multipliedReportingOverflow(by: factor)
        return overflow ? .max : product
    }

    func word(at index: Int) -> String? {
        guard index >= 0, index < message.tokens.count, case .word(let word) = message.tokens[index].kind else { return nil }
        return word.trimmingCharacters(in: CharacterSet(charactersIn: ".,!?;:"))
    }
}
