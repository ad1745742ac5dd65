import Ethereum

/// Requests the agent holds back rather than half-understand. Each card is one transfer or one
/// DeFi step prepared now, for the person to sign now; so a request that is taken back ("don't
/// send…", "…just kidding"), that would run later, again or on a condition ("every day",
/// "tomorrow", "once my balance is over 100"), that spends from someone else's address, or that
/// asks for several things at once gets an answer that says so, and no card. (A recipient no
/// one can spend from is the app's to warn about: `RecipientWarning`.)
extension Planner {
    /// The answer for a request held back, or nil to go on planning. `message` is the request
    /// (`MessageParser.focus`), `whole` everything the person wrote, where a "never mind" or a
    /// second request may stand in another sentence.
    func heldBack(_ parsed: ParsedMessage, _ message: Message, whole: Message, connected: Address?) -> Action? {
        // Another request beside this one would be dropped without a word: asked about instead,
        // unless it only asks to be told how it went ("…and tell me when it confirms").
        if let (first, rest) = parser.severalRequests(message) ?? severalSentences(whole), !rest.asksForNotice,
           Self.movesValue(parser.parse(first.text)) || Self.movesValue(parser.parse(rest.text)) {
            return .clarify(question: "You asked for two things at once: \"\(first.text)\" and \"\(rest.text)\". I prepare one at a time, "
                            + "so nothing is prepared yet: which first?")
        }
        let acts = Self.movesValue(parsed) || message.requestVerb(among: Lexicon.sendVerbs) != nil && !message.addresses.isEmpty
        if acts, message.retractsRequest || whole.retractsRequest {
            return .refuse(reason: "All right: I won't prepare it. Nothing was prepared, and nothing is waiting for a yes.")
        }
        // "when S drops below 0.5 stake 200 S": a condition first can leave the request unread.
        if acts || message.namesAnAction, let when = message.scheduling {
            return .refuse(reason: "I can't do that \"\(when)\": each card is prepared now and signed in your wallet at that moment, and nothing runs "
                           + "for you while you are away, so I don't schedule, repeat or hold back a transfer until something happens. "
                           + "Nothing was prepared. Ask again when you want it done; I can alert you when S arrives or premium is ending.")
        }
        guard acts else { return nil }
        if let others = message.fromAnother(than: connected), parsed.intent != .sendTransaction, parsed.intent != .tokenApproval {
            return .refuse(reason: "I can only use your own funds, out of your connected wallet, so I won't prepare anything that spends from \(others). "
                           + "Nothing was prepared.")
        }
        return nil
    }

    /// Two sentences that each ask for something ("what's my balance? also send 1 S to 0x…"):
    /// the first and the second; nil unless there are two.
    func severalSentences(_ whole: Message) -> (first: Message, rest: Message)? {
        let asking = MessageParser.sentences(whole.text).map(Message.init).filter { sentence in
            let words = sentence.words.drop { ["then", "also", "and", "now", "plus", "so", "oh", "after", "that", "next", "finally", "btw", "anyway"].contains($0) }
            let opening = Message(words.joined(separator: " "))
            guard opening.opensRequest(among: MessageParser.clauseVerbs) || sentence.text.hasSuffix("?"), !sentence.retractsRequest else { return false }
            guard let intent = parser.cue(sentence) else { return false }
            return intent != .generalQuery
        }
        guard asking.count >= 2, !asking.allSatisfy({ parser.cue($0) == .sendTransaction }) else { return nil }
        return (asking[0], asking[1])
    }

    /// A request that would move value when carried out: a transfer, a swap, a staking step,
    /// a revoke, a purchase.
    static func movesValue(_ parsed: ParsedMessage) -> Bool {
        switch parsed.intent {
        case .sendTransaction, .swap, .subscriptionPurchase: true
        case .defiQuery, .tokenApproval: parsed.entities.action != nil
        default: false
        }
    }
}

extension Message {
    /// "don't send…", "never stake…", "I won't swap…", "…just kidding": the request is taken back.
    var retractsRequest: Bool {
        let words = self.words
        let negations: Set<String> = ["don't", "dont", "never", "won't", "wont", "shouldn't", "mustn't"]
        for (index, word) in words.enumerated() {
            let next = words[(index + 1)...].prefix(3)
            let isNegation = negations.contains(word) || word == "not" && index > 0 && ["do", "will", "please", "shall", "must"].contains(words[index - 1])
            if isNegation, next.contains(where: { MessageParser.clauseVerbs.contains($0) || Lexicon.defiVerbs.contains($0) }) { return true }
        }
        let tail = words.suffix(3).joined(separator: " ")
        return ["just kidding", "kidding", "jk", "j/k", "lol jk", "not really", "never mind", "nevermind", "nvm", "scratch that", "forget it", "forget that",
                "i won't", "i wont", "i will not", "not anymore", "on second thought", "second thoughts", "changed my mind"]
            .contains { tail.hasSuffix($0) }
    }

    /// How a request would run later, again or on a condition, said back as written ("every
    /// day", "tomorrow", "10 times", "once my balance is over 100…"); nil for a request for now.
    var scheduling: String? {
        let periods: Set<String> = ["day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute", "minutes", "mins",
                                    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning", "night", "evening"]
        let conditions: Set<String> = ["price", "balance", "hits", "hit", "reaches", "reach", "goes", "drops", "drop", "rises", "above", "below",
                                       "over", "under", "arrives", "receive", "received", "confirmed", "lands", "falls", "pumps", "dips", "paid"]
        let notices: Set<String> = ["know", "tell", "notify", "alert", "ping", "remind", "inform", "message", "email", "update", "updated"]
        func word(_ index: Int) -> String {
            guard index >= 0, index < tokens.count, case .word(let word) = tokens[index].kind else { return "" }
            return word.trimmingCharacters(in: .punctuationCharacters)
        }
        func isCount(_ index: Int) -> Bool {
            guard index >= 0, index < tokens.count else { return false }
            if case .number = tokens[index].kind { return true }
            return (Lexicon.numberWords[word(index)] ?? 0) > 1
        }
        func said(_ range: Range<Int>) -> String {
            tokens[range.clamped(to: tokens.indices)].map(\.raw).joined(separator: " ").trimmingCharacters(in: .punctuationCharacters)
        }
        for index in tokens.indices {
            let current = word(index), next = word(index + 1), previous = word(index - 1)
            switch current {
            case "daily", "weekly", "monthly", "yearly", "hourly", "annually", "recurring", "repeatedly", "regularly", "automatically", "twice", "thrice",
                 "tomorrow", "tonight", "later":
                return current
            case "every", "each" where periods.contains(next) || next == "other" || isCount(index + 1) && current == "every",
                 "per" where periods.contains(next), "a" where periods.contains(next) && Lexicon.tokens[previous] != nil,
                 "next" where periods.contains(next) && !["the", "for", "of"].contains(previous):
                return said(index..<(index + (periods.contains(next) ? 2 : 3)))
            case "am", "pm", "o'clock", "oclock" where isCount(index - 1) || Int(word(index - 1)) != nil:
                return said((index - 2)..<(index + 1)).replacingOccurrences(of: " \(tokens[index].raw)", with: tokens[index].raw)
            case "noon", "midnight", "weekend", "tonight's":
                return said((index - 1)..<(index + 1))
            case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" where ["on", "by", "this", "until", "before"].contains(previous):
                return said((index - 1)..<(index + 1))
            case _ where current.contains(":") && current.first?.isNumber == true:
                return said((index - 1)..<(index + 1))
            case "times" where isCount(index - 1):
                return said((index - 1)..<(index + 1))
            case "in" where (isCount(index + 1) || ["a", "an"].contains(next)) && periods.contains(word(index + 2)):
                return said(index..<(index + 3))
            case "once", "when", "whenever", "if", "until", "after", "as":
                if current == "as", !(next == "soon" && word(index + 2) == "as") { continue }
                // "…and let me know when it arrives": the condition is the notice's, asked after the request.
                if ((index - 4)..<index).contains(where: { notices.contains(word($0)) }),
                   (0..<index).contains(where: { MessageParser.clauseVerbs.contains(word($0)) && !notices.contains(word($0)) }) { continue }
                let clause = (index + 1)..<min(tokens.count, index + 9)
                if clause.contains(where: { conditions.contains(word($0)) }) { return said(index..<min(tokens.count, index + 7)) }
            default:
                continue
            }
        }
        return nil
    }

    /// Whether an action's verb is used as a verb ("stake 200 S"), not a noun ("my stake").
    var namesAnAction: Bool {
        let verbs = Lexicon.sendVerbs.union(Lexicon.swapWords).union(Lexicon.wrapWords).union(["stake", "unstake", "delegate", "undelegate", "restake", "claim", "withdraw"])
        let words = self.words
        return words.indices.contains { index in
            verbs.contains(words[index]) && !(index > 0 && ["my", "the", "your", "a", "our", "their", "his", "her"].contains(words[index - 1]))
        }
    }

    /// "tell me when it confirms", "let me know once it arrives": a request to hear how it went.
    var asksForNotice: Bool {
        phrase("let me know") || phrase("tell me") || phrase("notify me") || phrase("ping me") || phrase("keep me posted") || phrase("update me")
    }

    /// The addresses, other than `connected`, that a request would take funds from ("swap
    /// 100 S from 0x…"), said back; nil when none.
    func fromAnother(than connected: Address?) -> String? {
        let others = sourceAddresses.filter { $0 != connected?.lowercased }.compactMap { try? Address($0).checksummed }
        return others.isEmpty ? nil : others.joined(separator: " and ")
    }
}
