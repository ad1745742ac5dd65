import Ethereum

/// Transfers: the amount read with care (negative, in a currency, depending on the language,
/// a share of the balance), the recipient asked for when missing or offered as alternatives,
/// several transfers said back and prepared one at a time, and a card only once everything is
/// known and, where needed, confirmed.
extension Planner {
    func send(_ parsed: ParsedMessage, _ message: Message, connected: Address?, state: ConversationState) -> (ParsedMessage, Action, ConversationState) {
        var state = state
        // "10 USD" names a currency, not a token: the amount is asked for in S.
        let token = message.currencyAmount == nil ? parsed.entities.token.map(reference) ?? .native : .native
        var pending = ConversationState.PendingSend(token: token)
        let recipients = message.addresses.filter { !message.sourceAddresses.contains($0) && !message.tokenAddresses.contains($0) }
        do throws(Question) {
            // One recipient is kept while the amount is asked about.
            if Set(recipients).count == 1, let to = parsed.entities.to { pending.to = try address(to) }
            (pending.amount, pending.share) = try readAmount(parsed, message, token: token, followUp: false)
        } catch {
            state.pendingSend = pending
            return (parsed, .clarify(question: error.text), state)
        }
        // "0.1 S and 0.2 S to 0x…", "1 S to 0x… 1000": two amounts for one transfer.
        if Set(recipients).count <= 1, let amount = pending.amount, let other = message.otherAmount(than: amount) {
            state.pendingSend = pending
            state.pendingSend?.amount = nil
            return (parsed, .clarify(question: "You wrote two amounts, \(amount.grouped) and \(other.grouped): how much \(token.name(nativeSymbol: nativeSymbol)) "
                                    + "should I send? A transfer has one amount; for several, say each with its address."), state)
        }
        if Set(recipients).count > 1 {
            let options = Set(recipients).count == recipients.count ? recipients : Array(Set(recipients)).sorted()
            let listed = options.compactMap { try? Address($0).checksummed }.joined(separator: " or ")
            if !message.addressesAreAlternatives, let connected, let transfers = several(message, recipients: recipients) {
                state.pendingSend = nil
                state.series = transfers
                state.seriesIndex = 0
                state.cardShown = true
                return (parsed, .sendSeveral(from: connected, transfers: transfers, next: 0), state)
            }
            state.pendingSend = pending
            state.choices = options.compactMap { try? Address($0) }
            let several = message.addressesAreAlternatives ? ""
                : " To send to several, say how much each gets, for example \"1 S to 0x… and 2 S to 0x…\" or \"1 S each to 0x… and 0x…\"."
            return (parsed, .clarify(question: "Which address should receive it: \(listed)? I send to one address per transfer.\(several)"), state)
        }
        state.pendingSend = pending
        if let to = parsed.entities.to {
            // Asked about with the amount kept, for the right address to complete it.
            do { state.pendingSend?.to = try address(to) } catch { return (parsed, .clarify(question: error.text), state) }
        }
        return completeSend(parsed, message, connected: connected, state: state)
    }

    /// The transfers of "1 S to A and 2 S to B" (or "5 S each to A and B"), each with its own
    /// amount; nil unless every recipient has one and every token is known.
    func several(_ message: Message, recipients: [String]) -> [Transfer]? {
        let extractor = EntityExtractor(message: message)
        let spans = extractor.numberSpans
        var transfers: [Transfer] = []
        var start = 0
        var pairs: [(to: String, span: (index: Int, value: String)?)] = []
        for (index, token) in message.tokens.enumerated() {
            guard case .address(let written) = token.kind, recipients.contains(written) else { continue }
            pairs.append((written, spans.last { $0.index >= start && $0.index < index }))
            start = index + 1
        }
        // "5 S each to A and B": one amount for every recipient; "A 1 S, B 2 S": amounts after.
        if spans.count == 1, message.has(["each", "apiece", "both"]) {
            pairs = pairs.map { ($0.to, spans[0]) }
        } else if pairs.contains(where: { $0.span == nil }), spans.count == pairs.count {
            pairs = zip(pairs, spans).map { ($0.0.to, $0.1) }
        }
        for pair in pairs {
            guard let span = pair.span, let amount = try? DecimalAmount(span.value), let to = try? Address(pair.to) else { return nil }
            let symbol = extractor.symbol(at: span.index + 1, afterAmount: true) ?? extractor.namedToken() ?? nativeSymbol
            let token = reference(symbol)
            if case .symbol(let name) = token, !knownTokens.contains(name) { return nil }
            transfers.append(Transfer(to: to, amount: amount, token: token))
        }
        return transfers.count > 1 ? transfers : nil
    }

    /// The amount of a transfer as the message states it, or a share of the balance; nil
    /// for both when it states none.
    /// - Throws: `Question` for a negative amount, one in a currency, one whose reading depends
    ///   on the language, zero, or one that is not a decimal.
    func readAmount(_ parsed: ParsedMessage, _ message: Message, token: TokenReference, followUp: Bool) throws(Question) -> (DecimalAmount?, Share?) {
        let name = token.name(nativeSymbol: nativeSymbol)
        if let negative = message.negativeAmount {
            throw Question(text: "\(negative) is a negative amount, and a transfer can only send a positive amount out of your wallet "
                           + "(to receive \(name), share your address instead). How much \(name) should I send?")
        }
        if let problem = message.amountProblem(token: name, native: token == .native) { throw Question(text: problem) }
        if let (text, currency) = message.currencyAmount, !knownTokens.contains(text.filter(\.isLetter).uppercased()) {
            throw Question(text: "\(text) is an amount in \(currency), and I send \(name), not \(currency); I have no price to convert it with. "
                           + "How much \(name) should I send?")
        }
        if let ambiguous = message.ambiguousNumber {
            let readings = ambiguous.readings.compactMap { try? DecimalAmount($0) }
            throw Question(text: "Which amount do you mean by \(ambiguous.text): "
                           + readings.map { "\($0.grouped) \(name) (\($0.spelledOut))" }.joined(separator: " or ")
                           + "? Write it with digits and a point for decimals, for example " + readings.map(\.text).joined(separator: " or ") + ".")
        }
        if let share = message.share { return (nil, share) }
        if let fraction = message.fractionAmount { return (try amount(fraction, of: token), nil) }
        let written = parsed.entities.amount ?? (followUp ? EntityExtractor(message: message).numberSpans.first?.value : nil)
        guard let written else { return (nil, nil) }
        let amount = try self.amount(written, of: token)
        if amount.isZero { throw Question(text: "0 \(name) would send nothing. How much \(name) should I send?") }
        return (amount, nil)
    }

    func amount(_ text: String, of token: TokenReference) throws(Question) -> DecimalAmount {
        do { return try DecimalAmount(text) } catch {
            throw Question(text: "I can't use that amount: \(error). How much \(token.name(nativeSymbol: nativeSymbol)) should I send?")
        }
    }

    /// The card once the token, amount (or share), recipient and wallet are known; a question
    /// for the first missing one. A transfer read from another language, or to the person's
    /// own address, is said back for a "yes" first (`confirmed` is that yes).
    func completeSend(_ parsed: ParsedMessage, _ message: Message, connected: Address?, state: ConversationState, confirmed: Bool = false)
        -> (ParsedMessage, Action, ConversationState)
    {
        var state = state
        guard let pending = state.pendingSend else { return (parsed, .cancelled, state) }
        let token = pending.token.name(nativeSymbol: nativeSymbol)
        if case .symbol(let symbol) = pending.token, !knownTokens.contains(symbol) {
            state.pendingSend = nil
            return (parsed, .clarify(question: "I don't know the token \(symbol). I can send \(knownTokens.joined(separator: ", ")): which did you mean?"), state)
        }
        let what = pending.share.map { $0.describe(token) } ?? pending.amount.map { "\($0.grouped) \(token)" }
        guard let what else {
            let recipient = pending.to.map { " to \($0.checksummed)" } ?? ""
            return (parsed, .clarify(question: "How much \(token) should I send\(recipient)?"), state)
        }
        guard let to = pending.to else {
            if let name = message.recipientName {
                return (parsed, .clarify(question: "I can't send to \"\(name)\": I only send to addresses, and I can't look up names or contacts. "
                                        + "Give me the address (0x…) that should receive the \(what)."), state)
            }
            return (parsed, .clarify(question: "Who should receive \(pending.share == nil ? "the " : "")\(what)? Give me their address (0x…)."), state)
        }
        guard let connected else {
            return (parsed, .clarify(question: "Connect your wallet first: the transfer is prepared from your address and signed by your wallet."), state)
        }
        if !confirmed {
            if let language = Language.of(message) {
                state.awaitingYes = true
                let spelled = pending.amount.map { " (\($0.spelledOut) \(token))" } ?? ""
                return (parsed, .clarify(question: "I read English only, and your message looks like \(language), so let me check: "
                                        + "send \(what)\(spelled) to \(to.checksummed). Is that right? Say yes to prepare it, or tell me again in English."), state)
            }
            if to == connected {
                state.awaitingYes = true
                return (parsed, .clarify(question: "\(to.checksummed) is your own address: sending \(what) to it leaves it with you and only costs the fee. "
                                        + "Say yes if you want that anyway, or give me the address it should go to."), state)
            }
        }
        state.pendingSend = nil
        state.awaitingYes = false
        state.lastSend = pending
        state.cardShown = true
        if let share = pending.share { return (parsed, .sendShare(from: connected, to: to, share: share, token: pending.token), state) }
        return (parsed, .send(from: connected, to: to, amount: pending.amount!, token: pending.token), state)
    }
}

extension Message {
    /// Another amount than `amount` in a message about one transfer or step: a second number
    /// that ends the request or stands before a token ("0.1 S and 0.2 S", "…to 0x… 1000", "…, no
    /// wait 200"). Not a count ("3 months", "10 times"), a percentage, a validator, a gas price, a
    /// reference ("order 1234", "table 12", "on March 3"), or one set aside ("not 50", "of my 20 S").
    func otherAmount(than amount: DecimalAmount) -> DecimalAmount? {
        let extractor = EntityExtractor(message: self)
        for span in extractor.numberSpans where !extractor.isMonthsOrLimit(span.index) {
            guard let value = try? DecimalAmount(span.value), value.text != amount.text, !value.isZero else { continue }
            let before = (extractor.word(at: span.index - 1)).map(Message.corrected) ?? "", after = extractor.word(at: span.index + 1) ?? ""
            if Self.notBeforeAnAmount.contains(before) || Self.months.contains(before) || Self.notAfterAnAmount.contains(after) || tokens[span.index].raw.hasSuffix("%") {
                continue
            }
            if span.index + 1 >= tokens.count || extractor.symbol(at: span.index + 1, afterAmount: true) != nil || ["to", "and", "or", "please", "instead"].contains(after) {
                return value
            }
            if case .address = tokens[span.index + 1].kind { return value }
        }
        return nil
    }

    /// Words after which a number is no amount: a set-aside, an identifier, a comparison.
    static let notBeforeAnAmount: Set<String> = [
        "not", "validator", "val", "#", "id", "number", "no", "nr", "nonce", "block", "epoch", "request", "than", "over", "under", "above", "below", "x",
        "order", "ref", "reference", "invoice", "table", "room", "item", "ticket", "seat", "flat", "apartment", "unit", "my", "of", "on", "page", "version",
    ]
    /// Words before which a number is no amount: a percentage, a unit of gas, a span, a time, an ordinal.
    static let notAfterAnAmount: Set<String> = ["%", "percent", "gwei", "wei", "x", "days", "hours", "minutes", "weeks", "am", "pm", "st", "nd", "rd", "th"]
    static let months: Set<String> = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
                                      "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
}
