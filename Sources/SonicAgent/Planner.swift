import Ethereum

/// Turns understood messages into typed actions, keeping the conversation's state: missing or
/// unusable details produce a question, follow-ups ("send it to 0x…", "make that 3", "cancel")
/// complete or change what is pending. Addresses come only from the person's words or their own
/// connected address, never from anywhere else: one they wrote that is not valid is questioned,
/// never replaced by theirs.
public struct Planner: Sendable {
    /// Symbols the network can move (the native coin's first).
    public let knownTokens: [String]
    let parser = MessageParser()

    public init(knownTokens: [String]) { self.knownTokens = knownTokens }

    var nativeSymbol: String { knownTokens.first ?? "S" }

    /// Plans `text`; `understood` replaces what the parser would make of it (a language
    /// model's reading), and goes through the same checks and questions.
    public func plan(_ text: String, connected: Address?, state: ConversationState, understood: ParsedMessage? = nil)
        -> (ParsedMessage, Action, ConversationState)
    {
        let parsed = understood ?? parser.parse(text)
        var state = state
        let message = Message(text)
        let entities = parsed.entities

        if message.has(["cancel", "stop", "nevermind", "abort"]) || message.phrase("never mind") || (message.words == ["no"]) {
            if state.pendingSend != nil || state.pendingSubscription {
                return (parsed, .cancelled, ConversationState())
            }
        }
        if let refusal = refusal(parsed, message) { return (parsed, refusal, state) }

        // Follow-ups to a transfer being put together, or to the last one prepared.
        if var pending = state.pendingSend ?? (isAmendment(message) ? state.lastSend : nil),
           parsed.intent == .sendTransaction || isFollowUp(parsed, message) {
            do throws(Question) {
                if let to = entities.to ?? (parsed.intent == .transactionHistory ? entities.address : nil) ?? message.addresses.first {
                    pending.to = try address(to)
                }
                if let amount = entities.amount ?? message.numbers.first { pending.amount = try self.amount(amount, of: pending.token) }
            } catch {
                return (parsed, .clarify(question: error.text), state)
            }
            if let token = entities.token.map(reference), parsed.intent == .sendTransaction, token != .native || pending.token == .native { pending.token = token }
            state.pendingSend = pending
            return completeSend(parsed, connected: connected, state: state)
        }
        if state.pendingSubscription, let months = entities.months ?? message.numbers.first.flatMap({ Int($0) }) {
            state.pendingSubscription = false
            return subscription(parsed, months: months, connected: connected, state: state)
        }

        do throws(Question) {
            return try request(parsed, text: text, message: message, connected: connected, state: state)
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
            return (parsed, .balance(address: address, token: entities.token.map(reference) ?? .native), state)
        case .sendTransaction:
            let token = entities.token.map(reference) ?? .native
            let amount = try entities.amount.map { text throws(Question) in try self.amount(text, of: token) }
            if message.addresses.count > 1 && entities.to != nil && !message.hasTo {
                let options = message.addresses.joined(separator: " or ")
                state.pendingSend = .init(to: nil, amount: amount, token: token)
                return (parsed, .clarify(question: "Which address should receive it: \(options)?"), state)
            }
            state.pendingSend = .init(to: nil, amount: amount, token: token)
            if let to = entities.to {
                // Asked about with the amount kept, for the right address to complete it.
                do { state.pendingSend?.to = try address(to) } catch { return (parsed, .clarify(question: error.text), state) }
            }
            return completeSend(parsed, connected: connected, state: state)
        case .transactionHistory:
            let address = try whose(entities.address, connected: connected, or: "Connect your wallet, or tell me the address whose history you want.")
            return (parsed, .history(address: address, limit: entities.limit), state)
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
            guard let months = entities.months else {
                state.pendingSubscription = true
                return (parsed, .clarify(question: "For how many months? Each month is 30 days of premium."), state)
            }
            return subscription(parsed, months: months, connected: connected, state: state)
        case .gasPrice:
            return (parsed, .gasPrice, state)
        case .nftCreation:
            return (parsed, .mint(name: entities.name, description: entities.description), state)
        case .swap:
            // Information only: an amount that is not a number is left out of it.
            let amount = entities.amount.flatMap { try? DecimalAmount($0) }
            return (parsed, .swapInfo(tokenIn: entities.tokenIn.map(reference), tokenOut: entities.tokenOut.map(reference), amount: amount), state)
        case .defiQuery:
            // A question gets what we know; a request is named back, not carried out yet.
            guard entities.action != nil else { return (parsed, .defiInfo, state) }
            return (parsed, .refuse(reason: notYetAvailable(entities)), state)
        case .tokenApproval:
            return (parsed, .refuse(reason: notYetAvailable(entities)), state)
        case .generalQuery:
            return (parsed, .answer(query: text), state)
        }
    }

    private func completeSend(_ parsed: ParsedMessage, connected: Address?, state: ConversationState) -> (ParsedMessage, Action, ConversationState) {
        var state = state
        guard let pending = state.pendingSend else { return (parsed, .cancelled, state) }
        let token = pending.token.name(nativeSymbol: nativeSymbol)
        if case .symbol(let symbol) = pending.token, !knownTokens.contains(symbol) {
            state.pendingSend = nil
            return (parsed, .clarify(question: "I don't know the token \(symbol). I can send \(knownTokens.joined(separator: ", ")): which did you mean?"), state)
        }
        guard let amount = pending.amount else {
            let recipient = pending.to.map { " to \($0.lowercased)" } ?? ""
            return (parsed, .clarify(question: "How much \(token) should I send\(recipient)?"), state)
        }
        guard let to = pending.to else {
            return (parsed, .clarify(question: "Who should receive the \(amount) \(token)? Give me their address (0x…)."), state)
        }
        guard let connected else {
            return (parsed, .clarify(question: "Connect your wallet first: the transfer is prepared from your address and signed by your wallet."), state)
        }
        state.pendingSend = nil
        state.lastSend = pending
        return (parsed, .send(from: connected, to: to, amount: amount, token: pending.token), state)
    }

    private func subscription(_ parsed: ParsedMessage, months: Int, connected: Address?, state: ConversationState) -> (ParsedMessage, Action, ConversationState) {
        guard (1...36).contains(months) else {
            return (parsed, .clarify(question: "I can prepare 1 to 36 months at a time. How many months?"), state)
        }
        guard let connected else {
            return (parsed, .clarify(question: "Connect your wallet first: the purchase is signed by your wallet."), state)
        }
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

    private func address(_ text: String) throws(Question) -> Address {
        guard let address = try? Address(text) else {
            throw Question(text: "\(text) is not a valid address: an address is 0x and 40 hex digits, and mixed case must match its checksum.")
        }
        return address
    }

    private func amount(_ text: String, of token: TokenReference) throws(Question) -> DecimalAmount {
        do { return try DecimalAmount(text) } catch {
            throw Question(text: "I can't use that amount: \(error). How much \(token.name(nativeSymbol: nativeSymbol)) should I send?")
        }
    }

    private func reference(_ token: String) -> TokenReference { TokenReference(token, nativeSymbol: nativeSymbol) }

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
