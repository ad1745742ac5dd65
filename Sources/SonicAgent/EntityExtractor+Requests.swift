import Foundation

/// Entities of requests to act (Tests/Fixtures/agent-labels.md): DeFi (`action`, `amount`,
/// `token`, `validator`), allowances (`action`, `token`) and wrapping, a swap of a coin for its
/// wrapped token. A question about DeFi carries no entity at all.
extension EntityExtractor {
    /// A DeFi request's entities; none for a question ("where can I stake?", "what did I earn?").
    func defiEntities() -> Entities {
        var entities = Entities()
        guard let action = defiAction() else { return entities }
        let validators = validatorNumbers()
        // "validator 15" and "50 %" are not amounts; "half" and "all" are none.
        let skipped = Set(numberSpans.map(\.index).filter { word(at: $0 + 1) == "%" || word(at: $0 + 1) == "percent" })
            .union(validators.map(\.index))
        let (amount, token) = amountAndToken(excluding: skipped)
        entities.action = .defi(action)
        entities.amount = amount
        entities.token = token ?? namedToken() ?? ([.stake, .unstake, .withdraw].contains(action) ? "S" : nil)
        entities.validator = validators.first?.value
        return entities
    }

    /// An allowance request's entities: `revoke` when asked to revoke, the token when named.
    func approvalEntities() -> Entities {
        var entities = Entities()
        // "set my USDC allowance to zero" revokes it too.
        let verb = message.requestVerb(among: Lexicon.revokeVerbs.union(["set"]))
        if let verb, verb != "set" || message.has("zero") || message.numbers == ["0"] { entities.action = .approval(.revoke) }
        entities.token = namedToken(capitals: true)
        return entities
    }

    /// What a DeFi message asks to do: the verb that opens the request, read with its object
    /// where the verb alone does not say ("add" liquidity, "deposit" into staking or a lending
    /// market). nil for questions and requests for information.
    func defiAction() -> DeFiAction? {
        guard let verb = message.requestVerb(among: Lexicon.defiVerbs) else { return nil }
        let liquidity = message.has(["liquidity", "pool", "pools", "lp", "pair", "farm", "farms"])
        switch verb {
        case "stake", "delegate": return .stake
        case "unstake", "undelegate", "unbond": return .unstake
        case "restake", "compound", "reinvest": return .restake
        case "claim", "collect", "harvest": return .claimRewards
        case "borrow": return .borrow
        case "repay": return .repay
        case "pay": return message.has(["back", "off"]) ? .repay : nil
        case "lend": return .lend
        case "lp": return .addLiquidity
        case "withdraw", "remove", "pull", "exit", "take":
            if liquidity { return .removeLiquidity }
            if verb == "take" { return message.has(["loan", "loans"]) ? .borrow : nil }
            if verb == "withdraw" { return message.has(["rewards", "reward", "earnings", "yield"]) ? .claimRewards : .withdraw }
            return nil
        default:  // "add", "provide", "deposit", "supply", "put", "send", "move", "lock"
            if liquidity { return .addLiquidity }
            if message.has(["staking", "stake", "validator", "validators", "delegation", "sts"]) { return .stake }
            if message.has(Lexicon.lendingWords) || ["deposit", "supply"].contains(verb) { return .lend }
            return nil
        }
    }

    /// Validators' numbers, in the order written: "validator 15", "validator #7", "the
    /// validator with ID 3".
    func validatorNumbers() -> [(value: Int, index: Int)] {
        var numbers: [(value: Int, index: Int)] = []
        let markers: Set<String> = ["#", "id", "number", "no", "nr", "num"]
        let named = message.has(["validator", "validators"])
        for index in message.tokens.indices {
            guard let anchor = word(at: index), ["validator", "validators", "val"].contains(anchor) || (named && markers.contains(anchor)) else { continue }
            var next = index + 1
            while let filler = word(at: next), markers.contains(filler) { next += 1 }
            guard next < message.tokens.count else { continue }
            switch message.tokens[next].kind {
            case .number(let value): if let number = Int(value) { numbers.append((number, next)) }
            case .word(let written) where written.hasPrefix("#"):
                if let number = Int(written.dropFirst().trimmingCharacters(in: .punctuationCharacters)) { numbers.append((number, next)) }
            default: break
            }
        }
        return numbers
    }

    /// Wrapping swaps a coin for its wrapped token ("wrap 4 S": S for WS), unwrapping the other
    /// way; S when no coin is named.
    func wrapTokens() -> (String?, String?) {
        let named = swapMentions()
        if named.count >= 2 { return (named[0], named[1]) }
        let coin = named.first.map { $0.count >= 2 && $0.hasPrefix("W") ? String($0.dropFirst()) : $0 } ?? "S"
        return message.has(["unwrap", "unwrapping"]) ? ("W" + coin, coin) : (coin, "W" + coin)
    }
}
