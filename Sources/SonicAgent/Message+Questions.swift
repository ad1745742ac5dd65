/// What kind of question or request a message is, beyond its cue words: a quote for a trade, a
/// collection to make, who may spend one's tokens, an explanation that mentions a balance.
extension Message {
    /// "what would 100 SUSD get me in S", "how much USDC would I get for 20 S", "what's the rate
    /// for 10 S to USDC": an amount and two tokens, asking what the trade gives.
    var asksForQuote: Bool {
        let extractor = EntityExtractor(message: self)
        guard !extractor.numberSpans.isEmpty, Set(extractor.swapMentions()).count >= 2, addresses.isEmpty else { return false }
        // "how many wS will 20 S give me?", "how much USDC will 75 S buy?": asked, not given.
        let asked = phrase("how much") || phrase("how many") || words.first == "what"
        // "the best price for 2k USDC into S": a price for this trade, not the token's price ("the price of 10 S").
        let tradePrice = has(["price", "prices", "deal"]) && has(["into", "to", "for"]) && !has("of")
        // "how much S for 250 USDC?": what an amount given is asked to bring.
        let forAmount = asked && extractor.numberSpans.contains { extractor.word(at: $0.index - 1) == "for" }
        // "if I sold 100 S right now, how much USDC would that be": a trade supposed, asked what it brings.
        let supposed = asked && (has(["sold", "sell", "selling", "swapped", "swap", "traded", "trade", "converted", "convert", "exchanged", "exchange"])
            || ["would that be", "would it be", "would be", "be in"].contains(where: phrase))
        return has(["get", "receive", "rate", "rates", "fetch", "return"]) || phrase("worth in") || asked && has(["give", "gives", "buy", "buys"]) || tradePrice
            || forAmount || supposed
    }

    /// "what is the exchange rate between S and USDC?", "how much is 1 S in USDC?": a price
    /// asked for its own sake, with no trade in view (no amount to trade, or "how much is").
    var asksForPrice: Bool {
        guard requestVerb(among: Lexicon.swapWords) == nil, !has(["get", "receive", "swap", "swapping", "trade", "trading", "sell", "buy"]) else { return false }
        if phrase("exchange rate") || phrase("conversion rate") { return EntityExtractor(message: self).numberSpans.isEmpty }
        return (phrase("how much is") || phrase("how much are")) && has("in") && !tokenMentions.isEmpty && !has("my")
    }

    /// "turn 10 S into wS", "flip 20 USDC to S": a verb that changes one token into another.
    var tradesTokens: Bool {
        guard requestVerb(among: Lexicon.tradeVerbs) != nil, addresses.isEmpty else { return false }
        return Set(EntityExtractor(message: self).swapMentions()).count >= 2 && has(["into", "to", "for"])
    }

    /// Making a collection of NFTs, however it is worded: "deploy an NFT collection called …",
    /// "create a collection named …", "spin up a new collection", "launch my NFT collection".
    /// A token or contract of another kind is not one ("deploy an ERC20 token").
    var makesCollection: Bool {
        let collection = has(["collection", "collections", "erc-721", "erc721", "erc-1155", "erc1155"])
        guard collection || has(["nft", "nfts"]) else { return false }
        guard !has(["erc20", "erc-20", "memecoin", "coin", "show", "list", "view", "see", "display", "owned", "gallery", "floor"]) else { return false }
        // "drop a collection", "release my NFT collection", "put out a collection": a collection
        // brought out by any verb of bringing one out (an approval dropped is not one).
        guard !has(Lexicon.approvalWords) else { return false }
        return has(["deploy", "deploying", "launch", "launching", "create", "creating", "make", "spin", "start", "new", "set", "drop", "dropping",
                    "release", "releasing", "publish", "publishing", "ship", "shipping", "generate"])
            || ["put out", "roll out", "bring out"].contains(where: phrase)
    }

    /// Another request in which a DeFi word is only a modifier: "send 5 S to my staking wallet
    /// 0x…" is a transfer, "did my stake transaction go through?" and "status of my unstake 0x…"
    /// ask about a transaction, "mint an NFT for my validator node" makes one.
    var requestBesideDeFiWords: Intent? {
        guard has(Lexicon.defiWords) else { return nil }
        if requestVerb(among: Lexicon.sendVerbs) != nil && !addresses.isEmpty { return .sendTransaction }
        if !hashes.isEmpty && addresses.isEmpty { return .transactionStatus }
        if (phrase("go through") || phrase("went through") || has(["confirmed", "mined", "stuck"])) && has(["tx", "transaction", "transfer"]) {
            return .transactionStatus
        }
        if requestVerb(among: Lexicon.mintWords) != nil && has(["nft", "nfts", "collectible", "collectibles"]) { return .nftCreation }
        return nil
    }

    /// What doing something would cost: "how much does it cost to unstake?", "what would it
    /// cost to claim my rewards?", "is a swap expensive?". Not what premium costs, which is
    /// asking to buy it.
    var asksWhatActionCosts: Bool {
        guard has(["cost", "costs", "expensive", "cheap"]), !has(Lexicon.subscriptionWords) else { return false }
        return has(Lexicon.sendVerbs.union(["transaction", "tx", "transfer"]).union(Lexicon.defiWords).union(Lexicon.defiVerbs)
            .union(Lexicon.swapWords).union(Lexicon.wrapWords).union(Lexicon.approvalWords).union(Lexicon.gerunds.keys)
            .union(["bridge", "bridging", "mint", "minting", "deploy"]))
    }

    /// Moving tokens between chains: "bridge my USDC to arbitrum", "move my 100 USDC from base
    /// to sonic", "can you send my S over to ethereum?". Another chain named as where tokens go
    /// or come from, with no address to send to; or a bridge named.
    var asksToBridge: Bool {
        if has(["bridge", "bridging", "bridged", "cross-chain", "crosschain"]) { return true }
        guard addresses.isEmpty else { return false }
        let extractor = EntityExtractor(message: self)
        return tokens.indices.contains { index in
            guard let chain = extractor.word(at: index), Lexicon.otherChains.contains(chain) else { return false }
            // "arbitrum" anywhere; "base" only as a place ("from base", "to base").
            return ["to", "from", "onto", "into"].contains(extractor.word(at: index - 1) ?? "") || chain != "base" && extractor.word(at: index - 1) == "on"
        } && (has(Lexicon.sendVerbs) || has(["get", "bring", "take", "port", "migrate", "carry"]))
    }

    /// "who is allowed to spend my scUSD?", "which contracts can spend my USDC?", "which apps
    /// can touch my wS?": who or what may use the person's tokens, by any verb of using them.
    var asksWhoMaySpend: Bool {
        if ["allowed to spend", "able to spend", "permission to spend", "permissions to spend", "access to my"].contains(where: phrase) { return true }
        let using: Set<String> = ["spend", "touch", "use", "move", "access", "pull", "take", "transfer", "drain"]
        // "which apps can still spend my wS?": an adverb may come between.
        let adverbs: Set<String> = ["still", "now", "currently", "already", "ever", "actually", "also", "really"]
        return words.indices.contains { index in
            guard ["can", "may", "could"].contains(words[index]) else { return false }
            let rest = words[(index + 1)...].drop(while: adverbs.contains)
            return rest.count >= 2 && using.contains(rest[rest.startIndex]) && rest[rest.startIndex + 1] == "my"
        } && (["who", "which", "what"].contains(words.first ?? "") || phrase("can spend my"))
    }

    /// "remove the router's permission on my SUSD", "revoke the dex's access to my USDC": an
    /// allowance named as a permission or access, given to a spender or asked to be revoked.
    var namesPermission: Bool {
        guard has(["permission", "permissions", "access"]), !has(Lexicon.subscriptionWords) else { return false }
        return has(Lexicon.spenderWords) || !tokenMentions.isEmpty && requestClause(among: Lexicon.revokeVerbs) != nil
    }

    /// "the unbonding period is over", "my 14 days are up", "the lock has ended": the wait after
    /// unstaking said to be over, so what is taken out now is what unstaking released.
    var saysWaitIsOver: Bool {
        let waits: Set<String> = ["period", "days", "weeks", "lock", "lockup", "lock-up", "cooldown", "wait", "waiting", "unbonding", "unstaking", "unlock", "timer"]
        guard has(waits) else { return false }
        return has(["over", "ended", "passed", "finished", "elapsed", "expired", "done", "complete", "completed"])
            || ["are up", "is up", "has run out", "have run out", "ran out"].contains(where: phrase)
    }

    /// "what have I been sending lately?", "who did I pay last week?", "what did I receive?": a
    /// question about the person's own transfers so far, not one to make.
    var asksWhatIMoved: Bool {
        guard ["what", "whats", "who", "whom", "which", "when", "where", "how"].contains(words.first ?? ""),
              ["did i", "have i", "had i"].contains(where: phrase) else { return false }
        return has(["send", "sent", "sending", "receive", "received", "receiving", "spend", "spent", "spending", "pay", "paid", "paying",
                    "transfer", "transferred", "transferring"])
    }

    /// "what came in and out of my wallet yesterday?", "anything go out this week?", "what left
    /// my account lately": funds said to have come in or gone out, asked about over some days or
    /// as a question, is the history of what moved (a request to move them is a transfer).
    var asksWhatCameOrWent: Bool {
        let movements = [
            "came in", "come in", "comes in", "coming in", "went in", "gone in", "flowed in", "landed in", "arrived in", "came into",
            "went out", "gone out", "go out", "goes out", "going out", "flowed out", "in and out", "out and in", "left my", "leave my", "leaving my",
        ]
        guard movements.contains(where: phrase), requestVerb(among: Lexicon.sendVerbs) == nil, !asksForExplanation else { return false }
        let asks = ["what", "whats", "anything", "everything", "any", "show", "list", "which", "did", "has", "have", "who"].contains(words.first ?? "")
        return asks || period != nil || has(["lately", "recently"])
    }

    /// "how much S have I got left after yesterday's swap?", "what's my balance since the last
    /// trade": every trade named is one done, after a preposition, not one asked for.
    var namesTradeDone: Bool {
        let trades = words.indices.filter { Lexicon.swapWords.contains(words[$0]) }
        guard !trades.isEmpty else { return false }
        let determiners: Set<String> = ["the", "my", "that", "this", "a", "last", "yesterday", "today", "recent", "latest", "earlier", "previous", "your", "our", "big"]
        return trades.allSatisfy { index in
            let before = words[..<index].last { !determiners.contains($0) }
            return before.map(["after", "since", "before", "from", "during"].contains) ?? false
        }
    }

    /// "what is an allowance?", "what's a validator?", "what are NFTs?": what a thing is, asked
    /// with an article or in the plural, nothing of the person's own ("what are my approvals?",
    /// "what is the status of …" ask about theirs).
    var asksWhatSomethingIs: Bool {
        let rest: ArraySlice<String>
        if words.starts(with: ["what", "is"]) || words.starts(with: ["what", "are"]) { rest = words.dropFirst(2) }
        else if words.first == "what" || words.first == "whats" { rest = words.dropFirst() } else { return false }
        guard numbers.isEmpty, addresses.isEmpty, hashes.isEmpty, !has(["my", "i", "me", "mine", "our", "we", "i've", "i'm", "current", "currently", "now"]) else { return false }
        if ["a", "an"].contains(rest.first ?? "") { return true }
        return words.starts(with: ["what", "are"]) && !["the", "you", "u", "your", "these", "those"].contains(rest.first ?? "")
    }

    /// A question about how or why, which may mention a balance or a token without asking for
    /// one: "how do I add wS to my wallet?", "why doesn't my USDC show up?", "is it safe to keep
    /// my S here?", "what does insufficient balance mean?", "is my balance public?". Not when it
    /// asks to see the balance after all ("how can I see my balance?", "is it possible to check
    /// my balance?") or about its size ("is my balance above 10 S?", "are my USDC in this wallet?").
    var asksForExplanation: Bool {
        guard !phrase("how much"), !phrase("how many"), !has("enough") else { return false }
        // "what is my wallet address?" asks for the address, not what it holds.
        if (phrase("my address") || phrase("wallet address") || phrase("my wallet's address")) && !has(Lexicon.balanceWords) { return true }
        let strong: [[String]] = [["why"], ["explain"], ["what", "happens"], ["what", "if"], ["should", "i"], ["is", "it", "safe"], ["how", "come"]]
        if strong.contains(where: { words.starts(with: $0) }) || has(["mean", "means", "meaning", "explain"]) { return true }
        // "is now a good time to sell?", "is USDC.e safe to hold?": advice, not a request.
        if ["good time", "good idea", "bad idea", "worth it", "right time", "come from", "comes from"].contains(where: phrase) { return true }
        // "which wallet app is best for S?", "what's the safest way to store wS?": advice, not a request.
        if ["which", "what", "whats"].contains(words.first ?? ""), has(["best", "better", "safest", "safer", "recommended", "recommend", "cheapest", "worst"]),
           numbers.isEmpty, addresses.isEmpty {
            return true
        }
        if ["is", "are", "was"].contains(words.first ?? ""), has(["safe", "safer", "risky", "legit", "scam", "secure", "trustworthy", "reliable"]) { return true }
        let seesBalance = has(Lexicon.balanceWords) && has(["see", "check", "view", "show", "find", "know", "get", "look"])
        // "can someone else see my balance?": who may see it, not a wish to.
        if words.count > 1, ["can", "could", "will", "does", "do"].contains(words[0]), Lexicon.otherPeople.contains(words[1]) { return true }
        // "how often is my balance refreshed?", "how long does a transfer take?": how things work.
        if words.starts(with: ["how"]), words.count > 1, ["often", "long", "soon", "fast", "quickly", "frequently"].contains(words[1]) { return true }
        // "is there a minimum balance?", "where does the USD value come from?".
        if words.starts(with: ["is", "there", "a"]) || words.starts(with: ["is", "there", "an"]) || words.starts(with: ["where", "does"]) {
            return !seesBalance
        }
        // "how do I…", "how to…", and without the auxiliary ("how import USDC.e in my wallet",
        // "how i can add wS?"): how to do something.
        if words.first == "how", words.count > 1, !["about", "is", "are", "'s"].contains(words[1]) {
            return !seesBalance
        }
        if words.starts(with: ["is", "it"]) { return !seesBalance }
        // "how is the balance of wS calculated?", "how are fees split?": how something works.
        if words.starts(with: ["how", "is"]) || words.starts(with: ["how", "are"]) { return !seesBalance }
        // "does holding S earn anything?", "can my balance go negative?": a yes-or-no question
        // about how things are, not a request ("can you…", "could I…", "do I have…").
        if ["does", "can", "could", "will", "would"].contains(words.first ?? ""), words.count > 2,
           !["you", "u", "i", "we", "someone", "somebody", "smart", "sonic"].contains(words[1]) {
            // "does my wallet have any USDC?" asks what it holds.
            return !seesBalance && !has(["have", "has", "hold", "holds", "own", "owns", "contain", "contains"])
        }
        if words.starts(with: ["is", "my"]) || words.starts(with: ["are", "my"]) {
            let size: Set<String> = ["above", "below", "over", "under", "more", "less", "zero", "empty", "low", "high", "in", "still", "left"]
            return numbers.isEmpty && !has(size)
        }
        return false
    }

    /// "how much am I staking and what have I earned?", "what are my pending rewards?", "show my
    /// delegations": the person's own staking, not how staking works.
    var asksForPositions: Bool {
        guard !asksForExplanation, !["where", "which", "should", "can", "could", "when", "will", "why"].contains(words.first ?? "") else { return false }
        let personal = has(["my", "i", "i've", "ive", "me", "am", "mine", "i'm"])
        let staking = has(["staked", "staking", "stake", "stakes", "delegation", "delegations", "delegated", "rewards", "earned", "earn", "earnings",
                           "positions", "position", "unstaked", "withdrawals"])
        let elsewhere = has(Lexicon.lendingWords.union(["liquidity", "pool", "pools", "lp", "farm", "farms", "yield", "apr", "apy", "borrow", "loan"]))
        return personal && staking && !elsewhere
    }
}
