import Ethereum

/// Turns understood messages into typed actions, keeping the conversation's state: missing or
/// unusable details produce a question, follow-ups ("send it to 0x…", "make that 3", "cancel")
/// complete or change what is pending. Addresses come only from the person's words or their own
/// connected address, never from anywhere else: one they wrote that is not valid is questioned,
/// never replaced by theirs. Value only ever moves out of the person's own wallet
/// (`Planner+Safety.swift` lists the rules).
public struct Planner: Sendable {
    /// Symbols the network can move (the native coin's first).
    public let knownTokens: [String]
    let parser = MessageParser()

    public init(knownTokens: [String]) { self.knownTokens = knownTokens }

    var nativeSymbol: String { knownTokens.first ?? "S" }

    /// Plans `text`; `understood` replaces what the parser would make of it (a language
    /// model's reading), and goes through the same checks and questions: every rule below
    /// reads the person's own words, whoever understood them.
    public func plan(_ text: String, connected: Address?, state: ConversationState, understood: ParsedMessage? = nil)
        -> (ParsedMessage, Action, ConversationState)
    {
        let focus = parser.focus(text)
        let parsed = understood ?? parser.parse(focus)
        let message = Message(focus)
        var state = state
        let shown = state.cardShown
        state.cardShown = false

        // "stop the alerts" is about alerts, not a cancel of what is pending.
        if parsed.intent == .generalQuery, let request = message.alertRequest { return (parsed, alert(request, connected: connected), state) }
        if message.isCancel { return (parsed, .cancelled, ConversationState()) }
        if let refusal = refusal(parsed, message) { return (parsed, refusal, state) }
        if let reason = wrongDirection(parsed, message, connected: connected) {
            state.pendingSend = nil
            state.awaitingYes = false
            return (parsed, .refuse(reason: reason), state)
        }
        if let held = heldBack(parsed, message, whole: Message(text), connected: connected) {
            state.pendingSend = nil
            state.pendingDeFi = nil
            state.awaitingYes = false
            return (parsed, held, state)
        }
        if parsed.intent != .nftCreation, let problem = message.addressProblem {
            // A transfer keeps what it has (the amount) for the right address.
            if parsed.intent == .sendTransaction || state.pendingSend != nil {
                var pending = state.pendingSend ?? .init(token: parsed.entities.token.map(reference) ?? .native)
                if let (amount, share) = try? readAmount(parsed, message, token: pending.token, followUp: state.pendingSend != nil) {
                    pending.amount = amount ?? pending.amount
                    pending.share = share ?? pending.share
                }
                state.pendingSend = pending
            }
            return (parsed, .clarify(question: problem), state)
        }
        if message.isYes {
            if state.awaitingYes, state.pendingSend != nil {
                state.awaitingYes = false
                return completeSend(parsed, message, connected: connected, state: state, confirmed: true)
            }
            if state.seriesContinues, let connected {
                state.seriesIndex += 1
                state.cardShown = true
                return (parsed, .sendSeveral(from: connected, transfers: state.series, next: state.seriesIndex), state)
            }
            if shown {
                state.cardShown = true
                return (parsed, .confirmInWallet, state)
            }
            return (parsed, .clarify(question: "Nothing is waiting for a yes right now. What would you like to do? For example \"what is my balance?\" "
                                    + "or \"send 5 S to 0x…\"."), state)
        }
        // "all" answering "how much? say an amount, or all" completes the request, not small talk.
        let answersHowMuch = (state.pendingDeFi != nil || state.pendingSend != nil) && message.share != nil
        if parsed.intent == .generalQuery, !answersHowMuch, let talk = message.smallTalk { return (parsed, .smallTalk(talk), state) }
        state.awaitingYes = false
        // The answer to a question about a DeFi request completes it; a new request drops it.
        if let pending = state.pendingDeFi {
            if let answered = answer(pending, parsed, message, state: state) { return answered }
            if !Self.readsOnly(parsed) { state.pendingDeFi = nil }
        }
        // "make that 10" after a DeFi request changes it, when no transfer came since.
        if isAmendment(message), state.pendingSend == nil, state.lastSend == nil, let last = state.lastDeFi, let amended = amend(last, parsed, message, state: state) {
            return amended
        }
        if parsed.intent == .sendTransaction { state.lastDeFi = nil }

        // "each", "both" after "which address?": the same amount to every address offered.
        let choices = state.choices
        state.choices = []
        if let pending = state.pendingSend, pending.to == nil, choices.count > 1, message.has(["each", "both", "all", "everyone"]), let connected,
           let amount = (try? readAmount(parsed, message, token: pending.token, followUp: true))?.0 ?? pending.amount {
            state.pendingSend = nil
            state.series = choices.map { Transfer(to: $0, amount: amount, token: pending.token) }
            state.seriesIndex = 0
            state.cardShown = true
            return (parsed, .sendSeveral(from: connected, transfers: state.series, next: 0), state)
        }

        // Follow-ups to a transfer being put together, or to the last one prepared.
        let amendment = isAmendment(message)
        if amendment, state.pendingSend == nil, state.lastSend == nil {
            return (parsed, .clarify(question: "There is no transfer to change: none is being prepared (a cancelled one is gone). "
                                    + "What should I send, and to which address?"), state)
        }
        if var pending = state.pendingSend ?? (amendment ? state.lastSend : nil),
           parsed.intent == .sendTransaction || isFollowUp(parsed, message) {
            do throws(Question) {
                if let to = parsed.entities.to ?? (parsed.intent == .transactionHistory ? parsed.entities.address : nil) ?? message.addresses.first {
                    pending.to = try address(to)
                }
                let (amount, share) = try readAmount(parsed, message, token: pending.token, followUp: true)
                if let amount { (pending.amount, pending.share) = (amount, nil) }
                if let share { (pending.amount, pending.share) = (nil, share) }
            } catch {
                state.pendingSend = pending
                return (parsed, .clarify(question: error.text), state)
            }
            if let token = parsed.entities.token.map(reference), parsed.intent == .sendTransaction, token != .native || pending.token == .native { pending.token = token }
            state.pendingSend = pending
            return completeSend(parsed, message, connected: connected, state: state)
        }
        if state.pendingSubscription, let months = parsed.entities.months ?? message.numbers.first.flatMap({ Int($0) }) {
            state.pendingSubscription = false
            return subscription(parsed, months: months, connected: connected, state: state)
        }
        // A transfer in another language is said back spelled out instead (`completeSend`).
        if let language = Language.of(message), parsed.intent != .sendTransaction, !parser.understand(focus).confident || parsed.intent == .generalQuery {
            return (parsed, .clarify(question: "I can only read English, and your message looks like \(language). Please ask again in English, "
                                    + "for example \"what is my balance?\" or \"send 5 S to 0x…\"."), state)
        }

        do throws(Question) {
            return try request(parsed, text: focus, message: message, connected: connected, state: state)
        } catch {
            return (parsed, .clarify(question: error.text), state)
        }
    }

    /// A message that starts something (no follow-up to what is pending).
    /// - Throws: `Question` for a detail given that cannot be used.
    private func request(_ parsed: ParsedMessage, text: String, message: Message, connected: Address?, state: ConversationState) throws(Question)
        -> (ParsedMessage, Action, ConversationState)
    {
        var state = state
        let entities = parsed.entities
        switch parsed.intent {
        case .balanceCheck:
            let address = try whose(entities.address, connected: connected, or: "Connect your wallet, or tell me the address whose balance you want.")
            // A question that names no token is about all of them.
            guard let named = EntityExtractor(message: message).namedToken(capitals: true) else { return (parsed, .balances(address: address), state) }
            return (parsed, .balance(address: address, token: reference(named)), state)
        case .sendTransaction:
            return send(parsed, message, connected: connected, state: state)
        case .transactionHistory:
            let address = try whose(entities.address, connected: connected, or: "Connect your wallet, or tell me the address whose history you want.")
            let period = message.period
            // "the last 3 days" names days, not a count of transactions.
            guard let period else { return (parsed, .history(address: address, limit: entities.limit), state) }
            return (parsed, .history(address: address, limit: nil, period: period, flow: message.flow), state)
        case .transactionStatus:
            guard let text = entities.txHash else {
                return (parsed, .clarify(question: "Which transaction? Paste its hash (0x and 64 hex digits)."), state)
            }
            guard let hash = try? Hash32(text) else {
                return (parsed, .clarify(question: "\(text) is not a transaction hash. Paste its hash (0x and 64 hex digits)."), state)
            }
            return (parsed, .status(hash: hash), state)
        case .subscriptionStatus:
            guard let connected else { return (parsed, .clarify(question: "Connect your wallet so I can look up your subscription."), state) }
            return (parsed, .subscriptionStatus(address: connected), state)
        case .subscriptionPurchase:
            if message.has(["cancel", "stop", "end", "unsubscribe", "refund"]) {
                return (parsed, .clarify(question: "Premium does not renew by itself, so there is nothing to cancel: it ends when the paid time runs out. "
                                        + "Nothing was prepared."), state)
            }
            guard let months = entities.months else {
                state.pendingSubscription = true
                return (parsed, .clarify(question: "For how many months? Each month is 30 days of premium."), state)
            }
            return subscription(parsed, months: months, connected: connected, state: state)
        case .gasPrice:
            // "send 5 gwei to 0x…": an amount in a unit of S, asked about as a transfer.
            // "send all my S to 0x…, keep 1 for gas": a transfer whose amount is to be asked about.
            if message.unitAmount != nil || message.allButAmount != nil, message.has(Lexicon.sendVerbs) { return send(parsed, message, connected: connected, state: state) }
            // "what would sending 5 SUSD to 0x… cost?": that transfer's own estimate.
            let (amount, token) = EntityExtractor(message: message).amountAndToken()
            if let connected, message.addresses.count == 1, let to = try? Address(message.addresses[0]), let amount = amount.flatMap({ try? DecimalAmount($0) }),
               !amount.isZero {
                let named = token ?? EntityExtractor(message: message).namedToken() ?? nativeSymbol
                return (parsed, .transferCost(from: connected, to: to, amount: amount, token: reference(named)), state)
            }
            return (parsed, .gasPrice, state)
        case .nftCreation:
            return (parsed, .mint(name: entities.name, description: entities.description), state)
        case .swap, .defiQuery, .tokenApproval:
            return defi(parsed, message, state: state)
        case .generalQuery:
            if message.asksToBridge, message.requestVerb(among: Lexicon.sendVerbs.union(["bridge", "get", "bring", "take", "port", "migrate"])) != nil {
                return (parsed, .refuse(reason: Self.bridging), state)
            }
            return (parsed, .answer(query: text), state)
        }
    }

    private func subscription(_ parsed: ParsedMessage, months: Int, connected: Address?, state: ConversationState) -> (ParsedMessage, Action, ConversationState) {
        guard (1...36).contains(months) else {
            return (parsed, .clarify(question: "I can prepare 1 to 36 months at a time. How many months?"), state)
        }
        guard let connected else {
            return (parsed, .clarify(question: "Connect your wallet first: the purchase is signed by your wallet."), state)
        }
        var state = state
        state.cardShown = true
        return (parsed, .subscribe(from: connected, months: months), state)
    }

    /// A clarifying question, for a detail the person gave that cannot be used.
    struct Question: Error {
        let text: String
    }

    /// The address written in the message, else the person's own; a question when what they
    /// wrote is not an address (never their own instead) or when there is neither.
    private func whose(_ written: String?, connected: Address?, or missing: String) throws(Question) -> Address {
        if let written { return try address(written) }
        guard let connected else { throw Question(text: missing) }
        return connected
    }

    func address(_ text: String) throws(Question) -> Address {
        guard let address = try? Address(text) else {
            throw Question(text: "\(text) is not a valid address: an address is 0x and 40 hex digits, and mixed case must match its checksum.")
        }
        return address
    }

    func reference(_ token: String) -> TokenReference { TokenReference(token, nativeSymbol: nativeSymbol) }

    private func refusal(_ parsed: ParsedMessage, _ message: Message) -> Action? {
        if message.has(Lexicon.secretWords) && message.has(["key", "keys", "phrase", "words", "mnemonic", "seed", "password"]) {
            return .refuse(reason: "I never ask for, show or handle private keys, seed phrases or passwords. Your wallet keeps them; I only prepare transactions for it to sign.")
        }
        if message.has("ignore") && message.has(["instructions", "instruction", "rules", "prompt"]) {
            return .refuse(reason: "I can't set aside how I work. I can check balances, prepare transfers for your wallet to sign, follow transactions and more.")
        }
        return nil
    }

    /// "make that 3", "actually 2.5", "send it to 0x…", a bare address or amount.
    private func isFollowUp(_ parsed: ParsedMessage, _ message: Message) -> Bool {
        if isAmendment(message) { return true }
        let fillers = message.contentWords.filter { !["send", "it", "to", "them", "him", "her", "that", "instead", "s", "rather", "no"].contains($0) }
        let said = !message.addresses.isEmpty || !EntityExtractor(message: message).numberSpans.isEmpty || message.share != nil
            || message.fractionAmount != nil || message.negativeAmount != nil
        return said && fillers.count <= 2 && message.hashes.isEmpty
    }

    /// "make that 3", "actually to 0x…", "send it to 0x… instead", "no, 4": a change to the
    /// transfer being prepared or the last one.
    func isAmendment(_ message: Message) -> Bool {
        // "yes, but to 0x…" and "the same to 0x…" change the recipient too.
        let changes = message.phrase("make that") || message.phrase("make it") || message.phrase("i meant") || message.phrase("change it")
            || message.has(["actually", "instead", "change", "rather", "correction", "oops", "wrong"]) || ["no", "sorry"].contains(message.words.first ?? "")
            || message.has("same") && !message.addresses.isEmpty && !message.namesAnAction
            || message.has("but") && (message.words.first.map(Lexicon.yesWords.contains) ?? false)
        let gives = !message.numbers.isEmpty || !message.addresses.isEmpty || message.share != nil || message.fractionAmount != nil
        return changes && gives
    }
}

extension Message {
    /// Whether an address follows "to"/"into": the recipient is named, not ambiguous.
    var hasTo: Bool {
        for (index, token) in tokens.enumerated() {
            guard case .address = token.kind, index > 0, case .word(let previous) = tokens[index - 1].kind else { continue }
            if ["to", "into"].contains(previous) { return true }
        }
        return false
    }
}
