/// Turns understood messages into actions, keeping the conversation's state: missing details
/// produce a question, follow-ups ("send it to 0x…", "make that 3", "cancel") complete or
/// change what is pending. Addresses come only from the person's words or their own
/// connected address, never from anywhere else.
public struct Planner: Sendable {
    /// Symbols the network can move (S first).
    public let knownTokens: [String]
    let parser = MessageParser()

    public init(knownTokens: [String]) { self.knownTokens = knownTokens }

    /// Plans `text`; `understood` replaces what the parser would make of it (a language
    /// model's reading), and goes through the same checks and questions.
    public func plan(_ text: String, connected: String?, state: ConversationState, understood: ParsedMessage? = nil)
        -> (ParsedMessage, Action, ConversationState)
    {
        let parsed = understood ?? parser.parse(text)
        var state = state
        let message = Message(text)

        if message.has(["cancel", "stop", "nevermind", "abort"]) || message.phrase("never mind") || (message.words == ["no"]) {
            if state.pendingSend != nil || state.pendingSubscription {
                return (parsed, .cancelled, ConversationState())
            }
        }
        if let refusal = refusal(parsed, message) { return (parsed, refusal, state) }

        // Follow-ups to a transfer being put together, or to the last one prepared.
        if var pending = state.pendingSend ?? (isAmendment(message) ? state.lastSend : nil),
           parsed.intent == .sendTransaction || isFollowUp(parsed, message) {
            if let to = parsed.entities.to ?? (parsed.intent == .transactionHistory ? parsed.entities.address : nil) ?? message.addresses.first {
                pending.to = to
            }
            if let amount = parsed.entities.amount ?? message.numbers.first { pending.amount = amount }
            if let token = parsed.entities.token, parsed.intent == .sendTransaction, token != "S" || pending.token == "S" { pending.token = token }
            state.pendingSend = pending
            return completeSend(parsed, connected: connected, state: state)
        }
        if state.pendingSubscription, let months = parsed.entities.months ?? message.numbers.first.flatMap({ Int($0) }) {
            state.pendingSubscription = false
            return subscription(parsed, months: months, connected: connected, state: state)
        }

        switch parsed.intent {
        case .balanceCheck:
            guard let address = parsed.entities.address ?? connected else {
                return (parsed, .clarify(question: "Connect your wallet, or tell me the address whose balance you want."), state)
            }
            return (parsed, .balance(address: address, token: parsed.entities.token ?? "S"), state)
        case .sendTransaction:
            if message.addresses.count > 1 && parsed.entities.to != nil && !message.hasTo {
                let options = message.addresses.joined(separator: " or ")
                state.pendingSend = .init(to: nil, amount: parsed.entities.amount, token: parsed.entities.token ?? "S")
                return (parsed, .clarify(question: "Which address should receive it: \(options)?"), state)
            }
            state.pendingSend = .init(to: parsed.entities.to, amount: parsed.entities.amount, token: parsed.entities.token ?? "S")
            return completeSend(parsed, connected: connected, state: state)
        case .transactionHistory:
            guard let address = parsed.entities.address ?? connected else {
                return (parsed, .clarify(question: "Connect your wallet, or tell me the address whose history you want."), state)
            }
            return (parsed, .history(address: address, limit: parsed.entities.limit), state)
        case .transactionStatus:
            guard let hash = parsed.entities.txHash else {
                return (parsed, .clarify(question: "Which transaction? Paste its hash (0x and 64 hex digits)."), state)
            }
            return (parsed, .status(hash: hash), state)
        case .subscriptionStatus:
            guard let connected else { return (parsed, .clarify(question: "Connect your wallet so I can look up your subscription."), state) }
            return (parsed, .subscriptionStatus(address: connected), state)
        case .subscriptionPurchase:
            guard let months = parsed.entities.months else {
                state.pendingSubscription = true
                return (parsed, .clarify(question: "For how many months? Each month is 30 days of premium."), state)
            }
            return subscription(parsed, months: months, connected: connected, state: state)
        case .gasPrice:
            return (parsed, .gasPrice, state)
        case .nftCreation:
            return (parsed, .mint(name: parsed.entities.name, description: parsed.entities.description), state)
        case .swap:
            return (parsed, .swapInfo(tokenIn: parsed.entities.tokenIn, tokenOut: parsed.entities.tokenOut, amount: parsed.entities.amount), state)
        case .defiQuery:
            // A question gets what we know; a request is named back, not carried out yet.
            guard parsed.entities.action != nil else { return (parsed, .defiInfo, state) }
            return (parsed, .refuse(reason: notYetAvailable(parsed.entities)), state)
        case .tokenApproval:
            return (parsed, .refuse(reason: notYetAvailable(parsed.entities)), state)
        case .generalQuery:
            return (parsed, .answer(query: text), state)
        }
    }

    private func completeSend(_ parsed: ParsedMessage, connected: String?, state: ConversationState) -> (ParsedMessage, Action, ConversationState) {
        var state = state
        guard let pending = state.pendingSend else { return (parsed, .cancelled, state) }
        guard knownTokens.contains(pending.token) else {
            state.pendingSend = nil
            return (parsed, .clarify(question: "I don't know the token \(pending.token). I can send \(knownTokens.joined(separator: ", ")): which did you mean?"), state)
        }
        guard let amount = pending.amount else {
            let recipient = pending.to.map { " to \($0)" } ?? ""
            return (parsed, .clarify(question: "How much \(pending.token) should I send\(recipient)?"), state)
        }
        guard let to = pending.to else {
            return (parsed, .clarify(question: "Who should receive the \(amount) \(pending.token)? Give me their address (0x…)."), state)
        }
        guard let connected else {
            return (parsed, .clarify(question: "Connect your wallet first: the transfer is prepared from your address and signed by your wallet."), state)
        }
        state.pendingSend = nil
        state.lastSend = pending
        return (parsed, .send(from: connected, to: to, amount: amount, token: pending.token), state)
    }

    private func subscription(_ parsed: ParsedMessage, months: Int, connected: String?, state: ConversationState) -> (ParsedMessage, Action, ConversationState) {
        guard (1...36).contains(months) else {
            return (parsed, .clarify(question: "I can prepare 1 to 36 months at a time. How many months?"), state)
        }
        guard let connected else {
            return (parsed, .clarify(question: "Connect your wallet first: the purchase is signed by your wallet."), state)
        }
        return (parsed, .subscribe(from: connected, months: months), state)
    }

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
        let fillers = message.contentWords.filter { !["send", "it", "to", "them", "him", "her", "that", "instead", "s"].contains($0) }
        return (!message.addresses.isEmpty || !message.numbers.isEmpty) && fillers.count <= 2 && message.hashes.isEmpty
    }

    private func isAmendment(_ message: Message) -> Bool {
        (message.phrase("make that") || message.phrase("make it") || message.has(["actually", "instead", "change"])) && !message.numbers.isEmpty
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
