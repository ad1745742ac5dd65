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
        if let (first, rest) = parser.severalRequests(message) ?? severalSentences(whole) ?? message.trailingRequest, !rest.asksForNotice,
           Self.movesValue(parser.parse(first.text)) || Self.movesValue(parser.parse(rest.text)) {
            return .clarify(question: "You asked for two things at once: \"\(first.text)\" and \"\(rest.text)\". I prepare one at a time, "
                            + "so nothing is prepared yet: which first?")
        }
        let acts = Self.movesValue(parsed) || message.requestVerb(among: Lexicon.sendVerbs) != nil && !message.addresses.isEmpty
        if acts, message.retractsRequest || whole.retractsRequest {
            return .refuse(reason: "All right: I won't prepare it. Nothing was prepared, and nothing is waiting for a yes.")
        }
        // "when S drops below 0.5 stake 200 S": a condition first can leave the request unread;
        // a question about how things work ("what happens if I stake and the price drops?") is answered.
        if acts || message.namesAnAction, !message.asksHowThingsWork, let when = message.scheduling {
            return .refuse(reason: "I can't do that \"\(when)\": each card is prepared now and signed in your wallet at that moment, and nothing runs "
                           + "for you while you are away, so I don't schedule, repeat or hold back a transfer until something happens. "
                           + "Nothing was prepared. Ask again when you want it done; I can alert you when S arrives or premium is ending.")
        }
        guard acts else { return nil }
        // (A transfer's "from 0x…" is `wrongDirection`'s; what is left for one here is "send 0x…'s 5 S".)
        if let others = message.fromAnother(than: connected), parsed.intent != .tokenApproval {
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
