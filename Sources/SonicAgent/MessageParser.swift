import Foundation

/// The embedded understanding of the agent: intent and entities from a person's message, with
/// no network and no model. Rules read as language: cues for each intent, in an order that
/// settles the usual conflicts (a fee question that names an amount is about fees; staking
/// that names an amount is DeFi; an address alone asks for its history).
public struct MessageParser: Sendable {
    public init() {}

    public func parse(_ text: String) -> ParsedMessage { understand(text).parsed }

    /// The part of a long message that asks for something: in "… long story … Anyway, please
    /// send 4.2 S to 0x…", the last sentence that asks to send and says how much or to whom;
    /// the whole text otherwise.
    /// Several requests ("Send 1 S to A. Then send 2 S to B.") are kept together.
    public func focus(_ text: String) -> String {
        let sentences = Self.sentences(text)
        guard sentences.count > 1 else { return text }
        let asking = sentences.filter { sentence in
            let message = Message(sentence)
            let words = message.words.drop { ["then", "also", "and", "now", "anyway", "so", "finally", "next", "lastly", "plus", "after", "that", "oh"].contains($0) }
            return (words.first.map(Lexicon.sendVerbs.contains) ?? false || Message(words.joined(separator: " ")).requestVerb(among: Lexicon.sendVerbs) != nil)
                && (!message.addresses.isEmpty || !message.numbers.isEmpty)
        }
        if !asking.isEmpty { return asking.joined(separator: " ") }
        return sentences.last { sentence in
            let message = Message(sentence)
            return message.has(Lexicon.sendVerbs) && (!message.addresses.isEmpty || !message.numbers.isEmpty)
        } ?? text
    }

    /// Whether the decimal `number` ("2.50") is one of `numbers` (from `numbers(in:)`), compared normalised.
    public static func reads(_ number: String, among numbers: Set<String>) -> Bool {
        Tokenizer.normalizedNumber(number).map(numbers.contains) ?? false
    }

    /// The sentences of `text`: split after ".", "!", "?" or a line break followed by a space or
    /// the end, so that "4.2" and "0x…" stay whole.
    static func sentences(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            current.append(character)
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            if character == "\n" || ".!?".contains(character) && next.isWhitespace {
                let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { sentences.append(trimmed) }
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }

    /// The numbers the parser reads in `text` as normalised decimals: digits, number words,
    /// written fractions ("½") and counts of months ("half a year" is 6). A language model's
    /// amount or count is kept only when it is one of these: the model proposes, the text decides.
    public func numbers(in text: String) -> Set<String> {
        let message = Message(text)
        let extractor = EntityExtractor(message: message)
        var numbers = Set(extractor.numberSpans.map(\.value))
        if let fraction = message.fractionAmount { numbers.insert(fraction) }
        if let months = extractor.entities(for: .subscriptionPurchase).months { numbers.insert(String(months)) }
        return numbers
    }

    /// The parse, and whether a cue decided the intent (false when only a fallback did: an
    /// address with a number taken for a transfer, an address alone for its history, anything
    /// else for a general question). A language model, when configured, gets the others.
    public func understand(_ text: String) -> (parsed: ParsedMessage, confident: Bool) {
        let focused = Message(focus(text))
        let message = firstOfSeveral(focused) ?? focused
        let cued = cue(message)
        let intent = cued ?? fallback(message)
        return (ParsedMessage(intent: intent, entities: EntityExtractor(message: message).entities(for: intent)), cued != nil)
    }

    func classify(_ m: Message) -> Intent { cue(m) ?? fallback(m) }

    /// Verbs that open a request of their own in a message that asks for several things.
    static let clauseVerbs: Set<String> = Lexicon.sendVerbs.union(Lexicon.swapWords).union(Lexicon.wrapWords).union([
        "stake", "unstake", "delegate", "undelegate", "restake", "compound", "claim", "harvest", "withdraw", "lend", "borrow", "repay",
        "check", "show", "list", "display", "tell", "mint", "create", "revoke", "approve",
    ])

    /// The first of several requests in one message, each opening with its verb ("check my USDC
    /// and show my last 3 txs", "wrap 10 S and then swap it to USDC", "stake 100 S with
    /// validator 3 and claim my rewards"): the agent does one thing a reply, the first asked.
    /// nil for one request, and for several transfers ("send 1 S to A and then 2 S to B"),
    /// which the planner says back together.
    func firstOfSeveral(_ m: Message) -> Message? { severalRequests(m)?.first }

    /// The requests of a message that asks for several things, each opening with its verb, as
    /// written: the first and the rest; nil as for `firstOfSeveral`.
    func severalRequests(_ m: Message) -> (first: Message, rest: Message)? {
        for separator in [" and then ", ", then ", "; then ", " then ", " and also ", ", and ", "; ", " and ", " & "] {
            guard let range = m.text.range(of: separator, options: .caseInsensitive) else { continue }
            let first = Message(String(m.text[..<range.lowerBound]))
            let second = Message(String(m.text[range.upperBound...]))
            guard first.opensRequest(among: Self.clauseVerbs), second.opensRequest(among: Self.clauseVerbs),
                  let firstIntent = cue(first), let secondIntent = cue(second), firstIntent != .generalQuery, secondIntent != .generalQuery,
                  !(firstIntent == .sendTransaction && secondIntent == .sendTransaction) else { continue }
            return (first, second)
        }
        return nil
    }

    func fallback(_ m: Message) -> Intent {
        if !m.addresses.isEmpty && !m.numbers.isEmpty { return .sendTransaction }
        if m.addresses.count == 1 { return .transactionHistory }
        return .generalQuery
    }

    func cue(_ m: Message) -> Intent? {
        // Requests for secrets or to override instructions are answered, never acted on.
        if m.has(Lexicon.secretWords) && m.has(["key", "phrase", "keys", "words", "password", "mnemonic", "seed"]) { return .generalQuery }
        if m.has("ignore") && m.has(["instructions", "instruction", "rules", "prompt"]) { return .generalQuery }
        // A bare hash or address.
        if m.contentWords.isEmpty && m.numbers.isEmpty {
            if m.hashes.count == 1 && m.addresses.isEmpty { return .transactionStatus }
            if m.addresses.count == 1 && m.hashes.isEmpty { return .transactionHistory }
        }
        // Alerts ("tell me when I receive S", "stop the alerts"): no intent of their own (Message+Alerts).
        if m.alertRequest != nil { return .generalQuery }
        // "deploy a collection called Sonic Punks with symbol SPUNK" makes NFTs.
        if m.makesCollection { return .nftCreation }
        // Things we do not do: deploying tokens or contracts, QR codes.
        if m.has(["deploy", "deploying", "qr", "launch"]) && !m.has(Lexicon.defiWords) { return .generalQuery }
        if m.has(["enough"]) && m.has(Lexicon.balanceWords.union(["have", "got", "own", "hold"])) { return .balanceCheck }
        // Fee Monetization is a programme to explain, not a fee to quote.
        if m.has(["monetization", "monetisation", "feem"]) { return .generalQuery }
        // "my sister needs gas money, so please send her 5 S at 0x…": a transfer asked for with
        // its amount and recipient; fees named elsewhere are not asked about ("what would it
        // cost in gas to send 3 S to 0x…?" is a fee question: no clause of it asks to send).
        // A reason after it is its own clause too ("send 5 S to 0x…, need gas money").
        if let clause = m.requestClause(among: Lexicon.sendVerbs)?.clause.upToBreak, !clause.addresses.isEmpty, !EntityExtractor(message: clause).numberSpans.isEmpty,
           !clause.has(Lexicon.gasWords), !clause.asksWhatActionCosts, !clause.phrase("how much") {
            return .sendTransaction
        }
        // The same for a trade with its amount and a token: "swap 50 usdc to S, need gas money lol",
        // "i need wS for a pool, wrap 15 S for me".
        if let clause = m.requestClause(among: Lexicon.swapWords.union(Lexicon.wrapWords).subtracting(["buy", "sell", "trading", "quote"]))?.clause.upToBreak,
           !EntityExtractor(message: clause).numberSpans.isEmpty, !clause.tokenMentions.isEmpty, !clause.has(Lexicon.gasWords), !clause.has(Lexicon.subscriptionWords),
           !clause.asksWhatActionCosts, !clause.phrase("how much"), !m.namesTradeDone {
            return .swap
        }
        if m.has(Lexicon.gasWords) || m.phrase("base fee") || m.asksWhatActionCosts { return .gasPrice }
        // "bridge my USDC to arbitrum", "move my USDC from base to sonic": not something we do.
        if m.asksToBridge { return .generalQuery }
        // "what is an allowance?", "what are NFTs?": what a thing is (DeFi's things below).
        if m.asksWhatSomethingIs && !m.has(Lexicon.defiWords) && !m.has(Lexicon.gasWords) { return .generalQuery }
        // Allowances: "what have I approved?", "who can spend my USDC?", "revoke…". "Approve" may
        // be a transfer's, or a bare "yes, approve".
        let approves = m.has(["approve", "approved", "approving"]) && !m.has(Lexicon.sendVerbs.union(["transaction", "tx", "transfer"]))
            && (m.words.count > 2 || !m.tokenMentions.isEmpty)
        if m.has(Lexicon.approvalWords.subtracting(["approve", "approved", "approving"])) || m.asksWhoMaySpend || m.namesPermission || approves {
            return .tokenApproval
        }
        if let other = m.requestBesideDeFiWords { return other }
        if m.has(Lexicon.defiWords) { return .defiQuery }
        // "compound everything": a verb that only restakes; "claim whatever I've earned":
        // rewards named by what they are.
        if m.requestVerb(among: ["harvest", "compound", "reinvest", "restake", "autocompound"]) != nil
            || m.requestVerb(among: ["claim", "collect"]) != nil && m.has(Lexicon.rewardWords.union(["earn", "earnings"]))
            // "my 14 days are up, can you release my S?": what unstaking released, taken out once the wait is over.
            || m.saysWaitIsOver && m.requestClause(among: Lexicon.takingVerbs) != nil && !m.has(Lexicon.subscriptionWords) {
            return .defiQuery
        }
        // "what would 100 SUSD get me in S", "turn 10 S into wrapped sonic": a trade.
        if m.asksForQuote || m.tradesTokens { return .swap }
        if m.phrase("trading at") || m.has(["price", "chart", "charts", "sentiment", "marketcap", "mcap"]) && !m.has(Lexicon.swapWords.subtracting(["trading"]))
            || m.asksForPrice {
            return .generalQuery
        }
        // "does swapping lower my S balance?", "is now a good time to sell my S?": how trading
        // works or whether to, with no trade asked for ("how do I swap S for USDC?" is about one).
        let howTo = m.words.first == "how" && m.words.count > 1 && !["about", "is", "are", "does", "often", "long", "soon", "fast", "quickly", "frequently", "come"].contains(m.words[1])
        let explains = m.asksForExplanation && m.numbers.isEmpty && !howTo
        if !explains && !m.namesTradeDone {
            if m.hasArrow && m.tokenMentions.count >= 2 || m.has(Lexicon.wrapWords) { return .swap }
            if m.has(Lexicon.swapWords.subtracting(["buy", "sell", "trading"])) && !m.has(Lexicon.subscriptionWords) { return .swap }
            if m.has(["buy", "sell"]) && !m.has(Lexicon.subscriptionWords) && m.tokenMentions.count >= 1 && !m.has(Lexicon.nftWords) { return .swap }
        }
        if m.has(Lexicon.subscriptionWords) || (m.has(["buy", "get"]) && m.has(["months", "month"])) {
            let asksStatus = m.has(["subscribed", "expire", "expires", "expiry", "expiring", "until", "active", "status", "still", "left", "remaining", "which", "current", "currently",
                                    "valid", "validity", "ends", "end", "ending", "ended", "expired", "lasts", "last"])
                || m.phrase("when does") || m.phrase("when is") || m.phrase("do i have") || m.phrase("am i") || m.phrase("how long")
            let wantsToBuy = m.has(["buy", "upgrade", "renew", "extend", "purchase", "get", "subscribe", "pay", "join", "activate", "start"])
            return asksStatus && !(wantsToBuy && !m.has(["subscribed"])) ? .subscriptionStatus : .subscriptionPurchase
        }
        // "an issue with my NFT" is a problem, not a verb: "issue" mints only as a verb ("issue an NFT").
        let mints = m.has(Lexicon.mintWords.subtracting(["issue"])) || m.issuesAsAVerb
        if m.has(["nft", "nfts", "collectible", "collectibles"]) || (mints && m.has(Lexicon.nftWords)) || m.has(["mint", "minting"]) {
            let browsing = m.has(["show", "list", "view", "see", "display", "my", "owned", "own", "gallery"]) && !mints
            // "I have an issue with my NFT", "my NFT doesn't show": a question, not a mint.
            if !mints, m.has(["issue", "issues", "problem", "problems", "help", "missing", "broken", "wrong", "doesn't", "isn't", "can't", "won't"]) { return .generalQuery }
            return browsing ? .generalQuery : .nftCreation
        }
        if !m.hashes.isEmpty { return .transactionStatus }
        if m.has(["confirmed", "pending", "status", "stuck", "mined", "went", "through"]) && m.has(["tx", "transaction", "transfer", "payment", "it"]) {
            return .transactionStatus
        }
        // "what did I do today", "did I receive anything yesterday": history over some days.
        // "show me everything I did last week", "anything come in lately?".
        let recently = m.period != nil || m.has(["lately", "recently"])
        if recently && (["did i", "have i", "i did", "i've done", "i have done", "i made", "i've made"].contains(where: m.phrase)
            || m.has(["anything", "happened", "activity", "received", "receive", "sent", "incoming"])) {
            return .transactionHistory
        }
        if m.has(Lexicon.historyWords) || m.asksWhatIMoved || m.asksWhatCameOrWent
            || (m.has(["last", "latest", "recent"]) && m.has(["tx", "txs", "transactions", "transfers", "sends"])) || m.has(["spent", "spend", "spending", "received"]) {
            return .transactionHistory
        }
        // "how do I move my USDC to rabby?" asks how, with nothing to send yet.
        if m.has(Lexicon.sendVerbs) && !(m.asksForExplanation && m.addresses.isEmpty && m.numbers.isEmpty) { return .sendTransaction }
        if m.asksForExplanation { return nil }
        // "how do I add wS to my wallet?", "what does insufficient balance mean?": explanations.
        if m.has(Lexicon.balanceWords) || m.phrase("how much") || m.phrase("how many") || m.has(["hold", "holding", "worth", "wallet", "own"])
            || (m.phrase("do i have") || m.phrase("have i got") || m.phrase("do i still have") || m.phrase("got any") || m.phrase("have any"))
                && EntityExtractor(message: m).namedToken(capitals: true) != nil {
            return .balanceCheck
        }
        if m.has(["check", "show", "see", "view", "my"]) && !m.tokenMentions.isEmpty && m.numbers.isEmpty { return .balanceCheck }
        // "show all my tokens", "which coins do I have".
        if m.has(["tokens", "coins", "assets"]) && m.has(["show", "list", "which", "what"]) && m.has(["my", "i", "me", "mine"]) && m.numbers.isEmpty && m.addresses.isEmpty {
            return .balanceCheck
        }
        return nil
    }
}

/// A tokenized message with the questions the rules ask of it.
struct Message {
    let text: String
    let tokens: [Tokenizer.Token]
    /// Words after fuzzy correction of mistyped cue words.
    let words: [String]
    let hashes: [String]
    let addresses: [String]
    let numbers: [String]
    let hasArrow: Bool

    init(_ text: String) {
        self.text = text
        tokens = Tokenizer.tokenize(text)
        var words: [String] = []
        var hashes: [String] = []
        var addresses: [String] = []
        var numbers: [String] = []
        var arrow = false
        for token in tokens {
            switch token.kind {
            case .word(let word): words.append(Self.corrected(word))
            case .hash(let hash): hashes.append(hash)
            case .address(let address): addresses.append(address)
            case .number(let number): numbers.append(number)
            case .arrow: arrow = true
            case .quoted: break
            }
        }
        self.words = words
        self.hashes = hashes
        self.addresses = addresses
        self.numbers = numbers
        hasArrow = arrow
    }

    /// Words that carry meaning (not fillers), to tell a bare address from a sentence.
    var contentWords: [String] {
        words.filter { !["the", "a", "an", "please", "pls", "plz", "?", "!", "this", "is", "it", "for", "of"].contains($0) }
    }

    var tokenMentions: [String] {
        words.compactMap { Lexicon.tokens[$0] }
    }

    func has(_ word: String) -> Bool { words.contains(word) }
    func has(_ set: Set<String>) -> Bool { words.contains { set.contains($0) } }
    func phrase(_ text: String) -> Bool { (" " + words.joined(separator: " ") + " ").contains(" \(text) ") }

    /// A cue word within one edit of a mistyped word ("transfr", "balnce", "histroy").
    static func corrected(_ word: String) -> String {
        let stripped = word.replacingOccurrences(of: "’", with: "'").trimmingCharacters(in: CharacterSet(charactersIn: ".,!?;:'\""))
        var base = stripped.hasSuffix("'s") ? String(stripped.dropLast(2)) : stripped
        // "re-stake", "auto-compound": a hyphenated form of a word we know.
        if base.contains("-"), !Lexicon.known.contains(base) {
            let joined = base.replacingOccurrences(of: "-", with: "")
            if Lexicon.known.contains(joined) { base = joined } else if base.hasPrefix("auto-"), Lexicon.known.contains(String(base.dropFirst(5))) { base = String(base.dropFirst(5)) }
        }
        guard base.count >= 5, !Lexicon.known.contains(base) else { return base }
        for target in Lexicon.fuzzyTargets where abs(target.count - base.count) <= 1 && editDistanceAtMostOne(base, target) {
            return target
        }
        return base
    }

    static func editDistanceAtMostOne(_ a: String, _ b: String) -> Bool {
        let x = Array(a), y = Array(b)
        if x.count == y.count {
            let differences = zip(x, y).filter { $0 != $1 }.count
            if differences <= 1 { return true }
            // One transposition counts as one edit.
            if differences == 2, let first = (0..<x.count).first(where: { x[$0] != y[$0] }), first + 1 < x.count {
                return x[first] == y[first + 1] && x[first + 1] == y[first] && x[(first + 2)...] == y[(first + 2)...]
            }
            return false
        }
        let (short, long) = x.count < y.count ? (x, y) : (y, x)
        var i = 0, j = 0, skipped = false
        while i < short.count && j < long.count {
            if short[i] == long[j] { i += 1; j += 1 } else if skipped { return false } else { skipped = true; j += 1 }
        }
        return true
    }
}
