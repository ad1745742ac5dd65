import Ethereum

/// DeFi requests, swaps and allowances as typed actions (`DeFiRequest`): what the message
/// states is kept, and what is missing or ambiguous (a validator, an amount, a token) is asked
/// for, the answer completing the request (`ConversationState.pendingDeFi`). What the agent
/// does not do (lending, liquidity, bridging) is answered honestly with what it would need.
extension Planner {
    /// Starts the request a DeFi, swap or allowance message makes.
    func defi(_ parsed: ParsedMessage, _ message: Message, state: ConversationState) -> (ParsedMessage, Action, ConversationState) {
        let asked = state
        var state = state
        state.pendingSend = nil
        state.pendingDeFi = nil
        let entities = parsed.entities
        var pending: PendingDeFi
        do throws(Question) {
            switch parsed.intent {
            case .tokenApproval:
                guard entities.action != nil else {
                    // An allowance is given only with the swap that needs it, for its amount.
                    if message.requestVerb(among: ["approve"]) != nil {
                        return (parsed, .refuse(reason: "I give an allowance only together with the swap that needs it, for that swap's exact amount, "
                                                + "as its own previewed card: ask for the swap (\"swap 100 USDC for \(nativeSymbol)\"). Nothing was prepared."), state)
                    }
                    return (parsed, .defi(.showApprovals(token: entities.token.map(reference))), state)
                }
                pending = PendingDeFi(.revoke)
                pending.tokenIn = entities.token.map(reference)
                pending.spender = spender(message)
            case .swap:
                pending = try trade(parsed, message)
            default:
                guard case .defi(let action)? = entities.action else {
                    // A question in between keeps what is being put together.
                    return (parsed, message.asksForPositions ? .defi(.stakingPositions) : .defiInfo, asked)
                }
                // "withdraw my USDC from aave" leaves a lending market.
                guard let operation = Self.staking[action], action != .withdraw || entities.token.map(reference) ?? .native == .native else {
                    return (parsed, .refuse(reason: unsupported(action, entities)), state)
                }
                pending = try staking(operation, parsed, message)
                // "validator 0x…": validators are named by their id.
                if pending.validator == nil, !message.addresses.isEmpty, [.stake, .unstake].contains(operation) {
                    pending.asked = .validator
                    state.pendingDeFi = pending
                    return (parsed, .clarify(question: "Validators are named by their id number, not by an address. Which validator id should I "
                                             + "\(operation.rawValue) \(pending.amount.map { "\($0.describe(nativeSymbol)) " } ?? "")with?"), state)
                }
                let validators = EntityExtractor(message: message).validatorNumbers().map(\.value)
                if pending.validator == nil, Set(validators).count > 1 {
                    pending.asked = .validator
                    state.pendingDeFi = pending
                    let listed = validators.reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }.map(String.init).joined(separator: " or ")
                    return (parsed, .clarify(question: "Which validator: \(listed)? I \(operation.rawValue) with one validator at a time; say its number."), state)
                }
            }
        } catch {
            return (parsed, .clarify(question: error.text), state)
        }
        return complete(pending, parsed, state: state)
    }

    /// The answer to the question asked about `pending` ("3", "validator 5", "100 S", "USDC",
    /// "all"), or nil when the message is something else (it is then planned on its own).
    func answer(_ pending: PendingDeFi, _ parsed: ParsedMessage, _ message: Message, state: ConversationState) -> (ParsedMessage, Action, ConversationState)? {
        let asksAnew = parsed.entities.action != nil || message.requestVerb(among: Lexicon.swapWords.union(Lexicon.wrapWords).union(Lexicon.sendVerbs)) != nil
        guard !asksAnew, message.contentWords.count <= 6, message.addresses.isEmpty, message.hashes.isEmpty else { return nil }
        let extractor = EntityExtractor(message: message)
        var pending = pending
        var answered = false
        let validators = extractor.validatorNumbers()
        if let validator = validators.first?.value ?? (pending.asked == .validator ? extractor.bareNumber() : nil) {
            pending.validator = validator
            answered = true
        }
        // A number left once the validators are read is an amount, unless it answered "which validator?".
        let others = extractor.numberSpans.filter { span in !validators.contains { $0.index == span.index } }
        if pending.asked == .amount || !others.isEmpty && (pending.asked != .validator || !validators.isEmpty) {
            let token = amountToken(pending)
            do throws(Question) {
                if let amount = try defiAmount(message, written: extractor.amountAndToken(excluding: extractor.notAmounts.union(validators.map(\.index))).0, token: token) {
                    pending.amount = amount
                    answered = true
                }
            } catch {
                var state = state
                state.pendingDeFi = pending
                return (parsed, .clarify(question: error.text), state)
            }
        }
        if let named = extractor.namedToken(capitals: true), pending.asked == .tokenIn || pending.asked == .tokenOut {
            if pending.asked == .tokenIn { pending.tokenIn = reference(named) } else { pending.tokenOut = reference(named) }
            answered = true
        }
        guard answered else { return nil }
        return complete(pending, parsed, state: state)
    }

    /// The typed request once nothing is missing; else the question for the first detail missing.
    func complete(_ pending: PendingDeFi, _ parsed: ParsedMessage, state: ConversationState) -> (ParsedMessage, Action, ConversationState) {
        var state = state
        var pending = pending
        func ask(_ detail: PendingDeFi.Detail, _ question: String) -> (ParsedMessage, Action, ConversationState) {
            let preface = pending.preface.map { $0 + " " } ?? ""
            pending.asked = detail
            pending.preface = nil
            state.pendingDeFi = pending
            return (parsed, .clarify(question: preface + question), state)
        }
        let native = nativeSymbol
        let request: DeFiRequest
        switch pending.operation {
        case .stake, .unstake:
            let staking = pending.operation == .stake
            let what = pending.amount?.describe(native) ?? native
            guard let validator = pending.validator else {
                return ask(.validator, staking ? "Which validator should I stake \(what) with? Say its number, for example \"validator 3\"."
                                               : "From which validator should I unstake \(what)? Say its number, for example \"validator 3\".")
            }
            guard let amount = pending.amount else {
                return ask(.amount, staking ? "How much \(native) should I stake with validator \(validator)? Say an amount, or \"all\"."
                                            : "How much \(native) should I unstake from validator \(validator)? Say an amount, or \"all\".")
            }
            request = staking ? .stake(validator: validator, amount: amount) : .unstake(validator: validator, amount: amount)
        case .withdraw: request = .withdraw(validator: pending.validator, request: pending.request)
        case .claimRewards: request = .claimRewards(validator: pending.validator)
        case .restake: request = .restake(validator: pending.validator)
        case .wrap, .unwrap:
            let wrapping = pending.operation == .wrap
            guard let amount = pending.amount else {
                return ask(.amount, wrapping ? "How much \(native) should I wrap into W\(native)? Say an amount, or \"all\"."
                                             : "How much W\(native) should I unwrap into \(native)? Say an amount, or \"all\".")
            }
            request = wrapping ? .wrap(amount: amount) : .unwrap(amount: amount)
        case .swap, .quote:
            guard let tokenIn = pending.tokenIn else {
                return ask(.tokenIn, "Which token do you want to \(pending.operation == .quote ? "quote" : "swap")\(pending.tokenOut.map { " for \(name($0))" } ?? "")? "
                                   + "For example \(native) or USDC.")
            }
            guard let tokenOut = pending.tokenOut else {
                return ask(.tokenOut, "\(pending.operation == .quote ? "Quote" : "Swap") \(pending.amount?.describe(name(tokenIn)) ?? name(tokenIn)) for which token?")
            }
            guard tokenIn != tokenOut else {
                pending.tokenOut = nil
                return ask(.tokenOut, "That swaps \(name(tokenIn)) for itself. Which token do you want for your \(name(tokenIn))?")
            }
            guard let amount = pending.amount else {
                return ask(.amount, "How much \(name(tokenIn)) should I \(pending.operation == .quote ? "quote" : "swap") for \(name(tokenOut))? Say an amount, or \"all\".")
            }
            request = pending.operation == .quote ? .quote(amountIn: amount, tokenIn: tokenIn, tokenOut: tokenOut)
                : .swap(amountIn: amount, tokenIn: tokenIn, tokenOut: tokenOut, slippage: pending.slippage)
        case .revoke:
            guard let token = pending.tokenIn else {
                return ask(.tokenIn, "Which token's allowance should I revoke\(pending.spender.map { " for \($0.describe)" } ?? "")? "
                                   + "Say its symbol, or \"show my approvals\" to see them all.")
            }
            request = .revoke(token: token, spender: pending.spender)
        }
        state.pendingDeFi = nil
        pending.asked = nil
        state.lastDeFi = pending
        state.lastSend = nil
        return (parsed, .defi(request), state)
    }

    /// "make that 10", "actually validator 5": the last DeFi request with the number changed.
    func amend(_ last: PendingDeFi, _ parsed: ParsedMessage, _ message: Message, state: ConversationState) -> (ParsedMessage, Action, ConversationState)? {
        var last = last
        last.asked = EntityExtractor(message: message).validatorNumbers().isEmpty ? .amount : .validator
        return answer(last, parsed, message, state: state)
    }

    /// Questions that read and start nothing: a DeFi request waiting for an answer stays
    /// waiting through them ("stake 100 S", "what's my balance?", "validator 3").
    static func readsOnly(_ parsed: ParsedMessage) -> Bool {
        switch parsed.intent {
        case .balanceCheck, .transactionHistory, .transactionStatus, .subscriptionStatus, .gasPrice, .generalQuery: true
        case .defiQuery, .tokenApproval: parsed.entities.action == nil
        case .sendTransaction, .nftCreation, .subscriptionPurchase, .swap: false
        }
    }

    func name(_ token: TokenReference) -> String { token.name(nativeSymbol: nativeSymbol) }

    /// The token an amount of `pending` is counted in.
    func amountToken(_ pending: PendingDeFi) -> TokenReference {
        switch pending.operation {
        case .unwrap: reference("W" + nativeSymbol)
        case .swap, .quote, .revoke: pending.tokenIn ?? .native
        default: .native
        }
    }

    static let staking: [DeFiAction: PendingDeFi.Operation] = [
        .stake: .stake, .unstake: .unstake, .withdraw: .withdraw, .claimRewards: .claimRewards, .restake: .restake,
    ]
}
