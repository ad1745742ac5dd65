/// What a short message says about the conversation itself: calling off a draft, saying yes,
/// greeting or thanking; and the days a history question is about.
extension Message {
    /// "cancel", "never mind", "stop", "forget it", a bare "no": the draft is dropped. Not
    /// "cancel my subscription" or "cancel the allowance", which ask for something else.
    var isCancel: Bool {
        guard addresses.isEmpty, hashes.isEmpty, !has(Lexicon.subscriptionWords), !has(Lexicon.approvalWords), !namesPermission else { return false }
        // "cancel that and send 50 instead" changes the transfer (`Planner.isAmendment`).
        if has("instead"), !numbers.isEmpty || share != nil { return false }
        // "stop staking 20 S with validator 4" unstakes.
        guard !has(["staking", "delegating"]) || EntityExtractor(message: self).defiAction() == nil else { return false }
        if words == ["no"] || words == ["nope"] || words == ["nah"] { return true }
        // "no, don't", "please don't", "do not".
        let refusals: Set<String> = ["no", "don't", "dont", "do", "not", "please", "it", "that", "wait", "nope", "nah", "thanks"]
        if !words.isEmpty, words.allSatisfy(refusals.contains), has(["don't", "dont", "not"]) { return true }
        let phrased = Lexicon.cancelPhrases.contains { phrase($0) }
        let opening = words.drop { ["no", "ok", "okay", "please", "actually", "oh", "hmm", "wait", "sorry", "just", "uh"].contains($0) }.first
        return phrased || (opening.map { Lexicon.cancelWords.contains($0) } ?? false) || (words.count <= 4 && has(Lexicon.cancelWords))
    }

    /// "yes", "ok, go ahead", "done", "next": agreement, or the previous step finished.
    var isYes: Bool {
        guard addresses.isEmpty, numbers.isEmpty, hashes.isEmpty, words.count <= 5, !has(["not", "don't", "dont", "no", "wait"]) else { return false }
        let rest = words.filter { !["please", "it", "that", "is", "looks", "good", "ahead", "the", "first", "one", "a", "i", "have", "it's", "its", "thats", "that's", "all", "great", "perfect", "now", "one's", "send", "prepare", "go", "do", "what's", "whats", "what", "please", "thanks"].contains($0) }
        return (words.first.map { Lexicon.yesWords.contains($0) } ?? false) && rest.allSatisfy { Lexicon.yesWords.contains($0) }
            || phrase("go ahead") || phrase("do it") || phrase("looks good") || phrase("that's right") || phrase("sounds good")
    }

    /// Small talk: a greeting, thanks or goodbye with nothing else asked.
    var smallTalk: SmallTalk? {
        guard addresses.isEmpty, numbers.isEmpty, hashes.isEmpty, words.count <= 8 else { return nil }
        let fillers: Set<String> = ["there", "good", "agent", "sonic", "bot", "you", "so", "much", "a", "lot", "very", "for", "the", "help", "again", "mate", "friend", "all", "everyone", "guys", "team", "dear", "!", "oh", "and", "ok", "okay", "great", "nice", "cool", "awesome", "that's", "thats", "it", "now", "is", "was", "that"]
        if words == ["what", "up"] || words == ["whats", "up"] || phrase("how are you") { return .greeting }  // "what's up" (the 's is dropped)
        let meaningful = words.filter { !fillers.contains($0) }
        // "ok cool", "great": taking note, nothing asked.
        guard !meaningful.isEmpty else { return words.isEmpty ? nil : .acknowledgement }
        if meaningful.allSatisfy({ Lexicon.thanksWords.contains($0) || Lexicon.helloWords.contains($0) }) && meaningful.contains(where: Lexicon.thanksWords.contains) {
            return .thanks
        }
        if meaningful.allSatisfy(Lexicon.helloWords.contains) { return .greeting }
        if meaningful.allSatisfy({ Lexicon.goodbyeWords.contains($0) || Lexicon.thanksWords.contains($0) }) { return .goodbye }
        return nil
    }

    /// The days a history question is about: "today", "yesterday", "this week", "the past 3 days".
    var period: Period? {
        if has("today") || phrase("so far today") || has("tonight") { return .today }
        if has("yesterday") { return .yesterday }
        let extractor = EntityExtractor(message: self)
        for index in tokens.indices where ["past", "last"].contains(extractor.word(at: index) ?? "") {
            if let span = extractor.numberSpans.first(where: { $0.index == index + 1 }), let count = Int(span.value), (1...90).contains(count),
               let unit = (index + 2..<min(index + 4, tokens.count)).lazy.compactMap({ extractor.word(at: $0) }).first, unit.hasPrefix("day") {
                return .lastDays(count)
            }
            if extractor.word(at: index + 1) == "week" { return .lastDays(7) }
            if extractor.word(at: index + 1) == "month" { return .lastDays(30) }
        }
        if phrase("this week") { return .lastDays(7) }
        if phrase("this month") { return .lastDays(30) }
        return nil
    }

    /// Whether a history question asks about what came in ("did I receive", "got anything")
    /// or went out ("what did I send"); nil for both.
    var flow: Flow? {
        if ["send me", "sent me", "sends me", "pay me", "paid me", "get paid", "got paid", "to me", "transfer me", "give me", "gave me"].contains(where: phrase) {
            return .incoming
        }
        if has(["receive", "received", "receiving", "incoming", "got", "get"]) && !has(["send", "sent", "spend", "spent", "pay", "paid"]) { return .incoming }
        if has(["send", "sent", "spend", "spent", "pay", "paid", "outgoing"]) && !has(["receive", "received", "incoming"]) { return .outgoing }
        return nil
    }
}

/// A short social message, answered in kind.
public enum SmallTalk: String, Sendable, Codable {
    case greeting, thanks, goodbye
    /// "ok", "cool", "great": taking note.
    case acknowledgement
}

/// The days a history question covers, counted in UTC by the app.
public enum Period: Sendable, Hashable, Codable {
    case today
    case yesterday
    /// The last `n` days, today included.
    case lastDays(Int)

    /// "today", "yesterday", "the last 7 days".
    public var phrase: String {
        switch self {
        case .today: "today"
        case .yesterday: "yesterday"
        case .lastDays(let days): "in the last \(days) days"
        }
    }
}

/// Which way value went in a history question.
public enum Flow: String, Sendable, Codable {
    case incoming, outgoing
}
