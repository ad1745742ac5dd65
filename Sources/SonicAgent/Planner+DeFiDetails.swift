import Ethereum
import Foundation

/// The details of a DeFi request read from the message: which staking operation and with whom,
/// a trade's tokens, amount and slippage, an allowance's spender; and the honest answers for
/// what the agent does not do.
extension Planner {
    /// A staking request; of several validators for one stake or unstake, none is picked.
    /// - Throws: `Question` for a token that is not staked or an amount that cannot be used.
    func staking(_ operation: PendingDeFi.Operation, _ parsed: ParsedMessage, _ message: Message) throws(Question) -> PendingDeFi {
        var pending = PendingDeFi(operation)
        let extractor = EntityExtractor(message: message)
        var validators: [Int] = []
        for validator in extractor.validatorNumbers().map(\.value) where !validators.contains(validator) { validators.append(validator) }
        // A language model's validator, already checked against the numbers of the message.
        if validators.isEmpty, let validator = parsed.entities.validator { validators = [validator] }
        if let token = parsed.entities.token.map(reference), token != .native, [.stake, .unstake].contains(operation) {
            let wrapped = token == reference("W" + nativeSymbol) ? " Unwrap it first (\"unwrap all my W\(nativeSymbol)\"), then stake the \(nativeSymbol)." : ""
            throw Question(text: "Validators are staked with \(nativeSymbol), not \(name(token)).\(wrapped) How much \(nativeSymbol) should I \(operation.rawValue)?")
        }
        if [.stake, .unstake].contains(operation) { pending.amount = try defiAmount(message, written: parsed.entities.amount, token: .native) }
        // "with validator 3 or 5": asked about, never picked.
        pending.validator = validators.count > 1 && [.stake, .unstake].contains(operation) ? nil : validators.first
        if operation == .withdraw { pending.request = extractor.requestNumber() }
        return pending
    }

    /// A swap, a quote, or wrapping and unwrapping (a swap of S and wS either way).
    /// - Throws: `Question` for a slippage or amount that cannot be used, or a token that is not wrapped here.
    func trade(_ parsed: ParsedMessage, _ message: Message) throws(Question) -> PendingDeFi {
        let tokenIn = parsed.entities.tokenIn.map(reference), tokenOut = parsed.entities.tokenOut.map(reference)
        let wrapped = reference("W" + nativeSymbol)
        let slippage = try self.slippage(message)
        let rest = Message(slippage?.rest ?? message.text)
        if rest.has(Lexicon.wrapWords) || Set([tokenIn, tokenOut]) == Set([.native, wrapped]) {
            let unwrap = tokenIn == wrapped || rest.has(["unwrap", "unwrapping"])
            if let tokenIn, ![TokenReference.native, wrapped].contains(tokenIn) {
                throw Question(text: "I wrap \(nativeSymbol) into W\(nativeSymbol) and unwrap W\(nativeSymbol) back; \(name(tokenIn)) is not wrapped here. "
                               + "To trade it, say for example \"swap 10 \(name(tokenIn)) for \(nativeSymbol)\".")
            }
            var pending = PendingDeFi(unwrap ? .unwrap : .wrap)
            pending.amount = try defiAmount(rest, written: parsed.entities.amount, token: unwrap ? wrapped : .native)
            return pending
        }
        let asks = message.asksForQuote || message.has(["quote", "rate", "rates"]) || ["what", "how"].contains(message.words.first ?? "")
        var pending = PendingDeFi(asks ? .quote : .swap)
        (pending.tokenIn, pending.tokenOut, pending.slippage) = (tokenIn, tokenOut, slippage?.value)
        // "buy 100 USDC with S" names what comes out; a swap is asked by what goes in.
        let (wanted, amountToken) = EntityExtractor(message: rest).amountAndToken(excluding: EntityExtractor(message: rest).notAmounts)
        if let wanted, let amountToken, let tokenOut, reference(amountToken) == tokenOut, let tokenIn, tokenIn != tokenOut {
            pending.preface = "You asked for \(wanted) \(name(tokenOut)): I swap an amount you give, not one you get."
            return pending
        }
        pending.amount = try defiAmount(rest, written: parsed.entities.amount, token: tokenIn ?? .native)
        return pending
    }

    /// An amount, or a share of the balance, for a DeFi request; nil when none is stated.
    /// - Throws: `Question` for a negative amount, one in a currency, one read two ways, or zero.
    func defiAmount(_ message: Message, written: String?, token: TokenReference) throws(Question) -> DeFiAmount? {
        let name = name(token)
        if let negative = message.negativeAmount { throw Question(text: "\(negative) is a negative amount. How much \(name) do you mean?") }
        if let problem = message.amountProblem(token: name, native: token == .native) { throw Question(text: problem) }
        if let (text, currency) = message.currencyAmount, !knownTokens.contains(text.filter(\.isLetter).uppercased()) {
            throw Question(text: "\(text) is an amount in \(currency), and I have no price to convert it with. How much \(name) do you mean?")
        }
        if let ambiguous = message.ambiguousNumber {
            let readings = ambiguous.readings.compactMap { try? DecimalAmount($0) }
            throw Question(text: "Which amount do you mean by \(ambiguous.text): " + readings.map { "\($0.grouped) \(name)" }.joined(separator: " or ")
                           + "? Write it with digits and a point for decimals, for example " + readings.map(\.text).joined(separator: " or ") + ".")
        }
        if let share = message.share { return .share(share) }
        // "unstake all from validator 4", "stake half with validator 2": the verb's object is a share.
        if written == nil && message.fractionAmount == nil {
            if message.has("all") { return .share(.all) }
            if message.has("half") { return .share(.fraction(numerator: 1, denominator: 2)) }
        }
        guard let text = message.fractionAmount ?? written else { return nil }
        guard let amount = try? DecimalAmount(text), !amount.isZero else {
            throw Question(text: "I can't use \(text) as an amount of \(name). How much \(name) do you mean?")
        }
        // "stake 100 S with validator 3, no wait 200", "swap 5 S for 10 USDC": a second amount is asked about, never dropped.
        if let other = message.otherAmount(than: amount) {
            throw Question(text: "You wrote two amounts, \(amount.grouped) and \(other.grouped): how much \(name) do you mean? "
                           + "I take one amount for each step, and a swap's minimum received comes from the quote and its slippage.")
        }
        return .exactly(amount)
    }

    /// The slippage stated ("with 1% slippage", "slippage 0.5%", "max slippage of 2 percent"),
    /// and the message without it, so that its percentage is not read as a share.
    /// - Throws: `Question` for a slippage outside 0.01%–50% or with more than two decimals.
    func slippage(_ message: Message) throws(Question) -> (value: Slippage, rest: String)? {
        let number = #"(\d+(?:\.\d+)?|\.\d+)\s*(?:%|percent|pct)"#
        // "slippage 1" right after the word is a percentage too ("slippage 0" is then refused, never dropped for the default).
        let bare = #"(\d+(?:\.\d+)?|\.\d+)\s*(?:%|percent|pct)?(?![\d.,])"#
        let after = #"slippage(?:\s+tolerance)?(?:\s*(?:of|at|to|:|=|max|maximum|is|set|up|under|below))*\s*"#
        let patterns = [number + #"\s*(?:max(?:imum)?\s+)?slippage"#, after + number, after + bare]
        let text = message.text
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
                  let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let whole = Range(match.range, in: text), let digits = Range(match.range(at: 1), in: text) else { continue }
            let written = String(text[digits])
            guard let percent = try? DecimalAmount(Tokenizer.normalizedNumber(written) ?? written), let slippage = Slippage(percent: percent) else {
                throw Question(text: "A slippage of \(written)% is not one I can use: say between 0.01% and 50%, with at most two decimals, "
                               + "for example \"with 1% slippage\".")
            }
            return (slippage, text.replacingCharacters(in: whole, with: " "))
        }
        return nil
    }

    /// The spender an allowance is for: an address written, or "the router", "the Shadow router".
    func spender(_ message: Message) -> Spender? {
        if let written = message.addresses.first, let address = try? Address(written) { return .address(address) }
        let stops: Set<String> = ["the", "a", "an", "my", "for", "to", "of", "from", "on", "this", "that", "your", "their", "its", "all", "at"]
        for (index, token) in message.tokens.enumerated() {
            guard case .word(let word) = token.kind, Lexicon.spenderWords.contains(word), word != "exchange" || index > 0 else { continue }
            let noun = word.hasSuffix("'s") ? String(word.dropLast(2)) : word
            guard index > 0, case .word(let before) = message.tokens[index - 1].kind, !stops.contains(before),
                  Lexicon.tokens[before] == nil || Lexicon.venues.contains(before) else { return .named(noun) }
            return .named("\(message.tokens[index - 1].raw) \(noun)")
        }
        return nil
    }

    /// Lending, borrowing and liquidity: said back, with what carrying them out would need.
    func unsupported(_ action: DeFiAction, _ entities: Entities) -> String {
        let understood = "I understood: \(Self.describe(action, entities)). "
        switch action {
        case .lend, .borrow, .repay, .withdraw:
            return understood + "Lending and borrowing through the agent are not supported yet: that would need a lending market's contracts on Sonic "
                + "(Aave, Silo or Euler) with their addresses for each network, your positions and health factor read from them, and a preview of "
                + "each deposit, loan or repayment for your wallet to sign. Nothing was prepared."
        case .addLiquidity, .removeLiquidity:
            return understood + "Providing liquidity through the agent is not supported yet: that would need the pool's router (add and remove "
                + "liquidity), an approval of each token, and a preview of your share of the pool and what you get back. Nothing was prepared."
        case .stake, .unstake, .claimRewards, .restake:
            return understood + "Nothing was prepared."
        }
    }

    /// Moving tokens to or from another chain.
    static let bridging = "Bridging to or from another chain is not supported yet: that would need a bridge's contracts on both chains "
        + "(such as the Sonic Gateway), following the transfer to its end on the other chain, and a preview of the fees on both sides. Nothing was prepared."
}
