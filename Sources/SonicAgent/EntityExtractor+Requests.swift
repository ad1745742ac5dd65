import Foundation

/// Entities of requests to act (Tests/Fixtures/agent-labels.md): DeFi (`action`, `amount`,
/// `token`, `validator`), allowances (`action`, `token`) and wrapping, a swap of a coin for its
/// wrapped token. A question about DeFi carries no entity at all.
extension EntityExtractor {
    /// A DeFi request's entities; none for a question ("where can I stake?", "what did I earn?").
    func defiEntities() -> Entities {
        var entities = Entities()
        guard let action = defiAction() else { return entities }
        // The amount and token come from the clause that asks ("I have 500 S. Stake 200 of it"),
        // the validator from anywhere ("for validator 5, unstake 20 S").
        let asking = message.requestClause(among: Lexicon.defiVerbs).map { EntityExtractor(message: $0.clause) } ?? self
        let validators = asking.validatorNumbers()
        // "validator 15", "50 %", "request 2" and "the 3rd" are not amounts; "half" and "all" are none.
        let skipped = asking.notAmounts.union(validators.map(\.index))
        let (amount, token) = asking.amountAndToken(excluding: skipped)
        entities.action = .defi(action)
        entities.amount = amount
        entities.token = token ?? asking.namedToken() ?? ([.stake, .unstake, .withdraw].contains(action) ? "S" : nil)
        entities.validator = validators.first?.value ?? validatorNumbers().first?.value
        return entities
    }

    /// An allowance request's entities: `revoke` when asked to revoke, the token when named.
    func approvalEntities() -> Entities {
        var entities = Entities()
        // "set my USDC allowance to zero" revokes it too.
        let verb = message.requestClause(among: Lexicon.revokeVerbs.union(["set"]))?.verb
        if let verb, verb != "set" || message.has("zero") || message.numbers == ["0"] { entities.action = .approval(.revoke) }
        entities.token = namedToken(capitals: true)
        return entities
    }

    /// What a DeFi message asks to do: the verb that opens the request, read with its object
    /// where the verb alone does not say ("add" liquidity, "deposit" into staking or a lending
    /// market). nil for questions and requests for information.
    func defiAction() -> DeFiAction? {
        guard let (verb, clause) = message.requestClause(among: Lexicon.defiVerbs) else { return nil }
        let liquidity = message.has(["liquidity", "pool", "pools", "lp", "pair", "farm", "farms"])
        let rewards = message.has(Lexicon.rewardWords)
        let staking = message.has(["stake", "staking", "staked", "delegation", "validator", "validators"])
        switch verb {
        case "stake", "delegate":
            // "stake my rewards again": what was earned goes back into the stake.
            return Self.rewardsAreObject(of: verb, in: clause) ? .restake : .stake
        case "unstake", "undelegate", "unbond": return .unstake
        case "restake", "compound", "reinvest": return .restake
        case "harvest": return .claimRewards
        case "borrow": return .borrow
        case "repay": return .repay
        case "pay": return message.has(["back", "off"]) ? .repay : nil
        case "lend": return .lend
        case "lp": return .addLiquidity
        case "stop", "quit", "cease":
            // "stop staking 20 S with validator 4": the stake is taken out.
            return message.has(["staking", "delegating"]) ? .unstake : nil
        case "finish", "complete", "process", "execute", "submit", "initiate":
            // "finish my withdrawal", "complete the unstake": the action the noun names.
            return message.words.lazy.compactMap { Lexicon.actionNouns[$0] }.first
        case _ where Lexicon.takingVerbs.contains(verb):
            if liquidity { return .removeLiquidity }
            if verb == "take", message.has(["loan", "loans"]) { return .borrow }
            // Rewards taken out are claimed; funds already unstaked are withdrawn; a stake
            // taken out ("remove 25 S from my stake") is unstaked.
            if rewards { return .claimRewards }
            // "the unbonding period is over, pull my S out": the wait after unstaking is.
            if verb == "withdraw" || message.has(Lexicon.unlockedWords) || message.saysWaitIsOver { return .withdraw }
            // "get my stake back": a verb that only takes says so with "out" or "back".
            let out = !Lexicon.softTakingVerbs.contains(verb) || message.has(["out", "back", "off"])
            return staking && out ? .unstake : nil
        case "claim", "collect":
            // "claim my unlocked S": what the unstaking released, not rewards.
            return message.has(Lexicon.unlockedWords) && !rewards ? .withdraw : .claimRewards
        default:  // "add", "provide", "deposit", "supply", "put", "send", "move", "lock"
            if liquidity { return .addLiquidity }
            // "send my unbonded S back to my wallet": what unstaking released comes out.
            if message.has(Lexicon.unlockedWords) { return .withdraw }
            if message.has(["staking", "stake", "validator", "validators", "delegation", "sts"]) {
                return Self.rewardsAreObject(of: verb, in: clause) ? .restake : .stake
            }
            if message.has(Lexicon.lendingWords) || ["deposit", "supply"].contains(verb) { return .lend }
            return nil
        }
    }

    /// Whether what `verb` acts on is what was earned: "stake my rewards again", "put my
    /// rewards back into staking", "stake whatever I earned"; not "stake 10 S to earn rewards".
    static func rewardsAreObject(of verb: String, in clause: Message) -> Bool {
        guard let start = clause.words.firstIndex(of: verb) else { return false }
        let object = clause.words[(start + 1)...].drop { Lexicon.objectFillers.contains($0) }
        return object.first.map(Lexicon.rewardWords.contains) ?? false
    }

    /// Validators' numbers, in the order written: "validator 15", "validator #7", "the
    /// validator with ID 3".
    func validatorNumbers() -> [(value: Int, index: Int)] {
        var numbers: [(value: Int, index: Int)] = []
        let markers: Set<String> = ["#", "id", "number", "no", "nr", "num"]
        let named = message.has(["validator", "validators"])
        let spans = numberSpans
        for index in message.tokens.indices {
            // "validtor 4": a mistyped anchor is corrected as the cue words are.
            guard let anchor = word(at: index).map(Message.corrected), ["validator", "validators", "val"].contains(anchor) || (named && markers.contains(anchor)) else { continue }
            // "request id 4" names a withdrawal request, not a validator.
            if markers.contains(anchor), ["request", "requests", "req", "withdrawal"].contains(word(at: index - 1) ?? "") { continue }
            // "the 3rd validator", "the second validator".
            if ["validator", "val"].contains(anchor), let ordinal = ordinal(before: index) {
                numbers.append(ordinal)
                continue
            }
            var next = index + 1
            while let filler = word(at: next), markers.contains(filler) { next += 1 }
            guard next < message.tokens.count, !numbers.contains(where: { $0.index == next }) else { continue }
            if let span = spans.first(where: { $0.index == next }), let number = Int(span.value) {
                numbers.append((number, next))
            } else if case .word(let written) = message.tokens[next].kind, written.hasPrefix("#"),
                      let number = Int(written.dropFirst().trimmingCharacters(in: .punctuationCharacters)) {
                numbers.append((number, next))
            }
        }
        return numbers
    }

    /// An ordinal right before `index`: "3rd" (a number and its suffix) or "third".
    private func ordinal(before index: Int) -> (value: Int, index: Int)? {
        if let suffix = word(at: index - 1), Lexicon.ordinalSuffixes.contains(suffix), index >= 2, case .number(let value) = message.tokens[index - 2].kind,
           let number = Int(value) {
            return (number, index - 2)
        }
        if let written = word(at: index - 1), let number = Lexicon.ordinals[written] { return (number, index - 1) }
        return nil
    }

    /// Numbers that are not amounts: percentages, ordinals ("the 3rd"), ids ("request 2", "#4").
    var notAmounts: Set<Int> {
        Set(numberSpans.map(\.index).filter { index in
            let after = word(at: index + 1) ?? "", before = word(at: index - 1) ?? ""
            return ["%", "percent", "pct"].contains(after) || Lexicon.ordinalSuffixes.contains(after)
                || ["request", "requests", "req", "id", "#", "slippage"].contains(before) || ["request", "requests", "req"].contains(word(at: index - 2) ?? "")
        })
    }

    /// Wrapping swaps a coin for its wrapped token ("wrap 4 S": S for WS), unwrapping the other
    /// way; S when no coin is named.
    func wrapTokens() -> (String?, String?) {
        let named = swapMentions()
        let unwraps = message.has(["unwrap", "unwrapping"])
        // "I need wS, wrap 20 of my S": the verb says which way, not the order the two are named in.
        if named.count >= 2 {
            let (first, second) = (named[0], named[1])
            if first == "W" + second { return unwraps ? (first, second) : (second, first) }
            if second == "W" + first { return unwraps ? (second, first) : (first, second) }
            return (first, second)
        }
        let coin = named.first.map { $0.count >= 2 && $0.hasPrefix("W") ? String($0.dropFirst()) : $0 } ?? "S"
        return unwraps ? ("W" + coin, coin) : (coin, "W" + coin)
    }

    /// A number said alone, answering "which validator?": "3", "#3", "the third one", "3rd".
    func bareNumber() -> Int? {
        // "the third one": the ordinal, not "one".
        for index in message.tokens.indices {
            if let written = word(at: index), let number = Lexicon.ordinals[written] { return number }
            if let written = word(at: index), written.hasPrefix("#"), let number = Int(written.dropFirst()) { return number }
        }
        return numberSpans.first.flatMap { Int($0.value) }
    }

    /// The withdrawal request named: "request 2", "request id 4", "request #3".
    func requestNumber() -> Int? {
        for index in message.tokens.indices where ["request", "requests", "req"].contains(word(at: index) ?? "") {
            var next = index + 1
            while let filler = word(at: next), ["id", "number", "no", "nr", "#"].contains(filler) { next += 1 }
            if next < message.tokens.count, case .number(let value) = message.tokens[next].kind, let number = Int(value) { return number }
            if let written = word(at: next), written.hasPrefix("#"), let number = Int(written.dropFirst()) { return number }
        }
        return nil
    }
}
