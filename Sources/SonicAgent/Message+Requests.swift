extension Message {
    /// The verb a request to act opens with, once courtesies and openings are set aside
    /// ("please", "can you", "I'd like to", "would you mind", an emoji): "stake" in "can you
    /// stake 100 S for me". A gerund opening a command counts as its verb ("staking 45 S on
    /// validator 5 please", "would you mind unstaking 15 S"). Asking whether one may do
    /// something ("can I", "is it possible to") is a request only when it says what exactly (an
    /// amount or a validator); otherwise it is a question ("can I unstake early?"). nil for
    /// questions ("how do I stake?") and requests for information ("show my rewards").
    func requestVerb(among verbs: Set<String>) -> String? {
        var rest = words[...].drop { !$0.contains(where: { $0.isLetter || $0.isNumber }) }
        var permission = false
        var ability = false
        // The longest opening first: "let me", not "let".
        while true {
            rest = rest.drop { !$0.contains(where: { $0.isLetter || $0.isNumber }) }
            if let opening = Lexicon.requestOpenings.filter({ rest.starts(with: $0) }).max(by: { $0.count < $1.count }) {
                rest = rest.dropFirst(opening.count)
                ability = ability || Lexicon.abilityOpenings.contains(opening)
            } else if let opening = Lexicon.permissionOpenings.filter({ rest.starts(with: $0) }).max(by: { $0.count < $1.count }) {
                rest = rest.dropFirst(opening.count)
                permission = true
            } else if let wish = Self.wishLength(rest) ?? Self.conditionalWishLength(rest) {
                rest = rest.dropFirst(wish)
            } else {
                break
            }
        }
        guard let first = rest.first else { return nil }
        // "can I stake less than 1 S?": a bound is not what exactly is asked for.
        if permission && statedNumbers.isEmpty && EntityExtractor(message: self).validatorNumbers().isEmpty { return nil }
        // "can you stake for me?" asks what the agent can do: nothing is said of what to do.
        if ability && rest.dropFirst().allSatisfy(Lexicon.emptyObjectWords.contains) { return nil }
        if verbs.contains(first) { return first }
        // "do stake of 75 S", "make a swap of 10 S", "perform the unstake": a light verb before
        // the action's noun.
        if ["do", "make", "perform", "place"].contains(first) {
            let noun = rest.dropFirst().drop { ["a", "an", "the", "one", "my"].contains($0) }.first
            if let noun, verbs.contains(noun), noun != first { return noun }
        }
        // "staking 45 S", "unstaking 15 S": a gerund is a command when it says how much.
        if let base = Lexicon.gerunds[first], verbs.contains(base), rest.startIndex > words.startIndex || amountFollows(first) { return base }
        return nil
    }

    /// Whether the message opens a request of its own: with one of `verbs`, or as a question
    /// ("what's my wS balance", "how much gas does a swap cost"), in a message that asks for several.
    func opensRequest(among verbs: Set<String>) -> Bool {
        requestVerb(among: verbs) != nil
            || ["what", "whats", "how", "which", "who", "when", "is", "are", "do", "does", "did"].contains(words.first ?? "") && words.count > 2
    }

    /// The length of a wish that opens a request, in any of its forms: "I'd love to", "I would
    /// really like you to", "we want to", "I wanna", "I'm hoping to": a subject, an optional
    /// modal or adverb, a verb of wanting, an optional "you" and "to". nil when `rest` does not
    /// open with one.
    static func wishLength(_ rest: ArraySlice<String>) -> Int? {
        var index = rest.startIndex
        guard index < rest.endIndex, Lexicon.wishSubjects.contains(rest[index]) else { return nil }
        index += 1
        while index < rest.endIndex, Lexicon.wishModifiers.contains(rest[index]) { index += 1 }
        guard index < rest.endIndex, Lexicon.wishVerbs.contains(rest[index]) else { return nil }
        index += 1
        if index < rest.endIndex, ["you", "u", "ya"].contains(rest[index]) { index += 1 }
        if index < rest.endIndex, rest[index] == "to" { index += 1 }
        return index - rest.startIndex
    }

    /// The length of a wish put as a condition: "it would be great if you could", "I'd
    /// appreciate it if you would", "that would help a lot if u can": a few words that say
    /// being glad of it, then "if you" and its modal. nil when `rest` does not open with one.
    static func conditionalWishLength(_ rest: ArraySlice<String>) -> Int? {
        guard let first = rest.first, ["it", "it'd", "itd", "that", "that'd", "thatd", "would", "i", "i'd", "id", "we", "we'd", "really"].contains(first),
              let condition = rest.prefix(7).firstIndex(of: "if"), condition + 1 < rest.endIndex, ["you", "u"].contains(rest[condition + 1]) else { return nil }
        let glad: Set<String> = ["be", "appreciate", "love", "help", "helps", "like"]
        guard rest[..<condition].contains(where: glad.contains) else { return nil }
        var index = condition + 2
        while index < rest.endIndex, ["could", "would", "can", "will", "just", "please", "kindly", "maybe"].contains(rest[index]) { index += 1 }
        return index - rest.startIndex
    }

    /// Numbers that say how much or which: not a bound in a question ("less than 1 S", "at
    /// least 500", "a minimum of 10").
    var statedNumbers: [String] {
        let extractor = EntityExtractor(message: self)
        return extractor.numberSpans.filter { span in
            let before = extractor.word(at: span.index - 1) ?? ""
            return !Lexicon.boundWords.contains(before) && !(before == "of" && Lexicon.boundWords.contains(extractor.word(at: span.index - 2) ?? ""))
        }.map(\.value)
    }

    /// The request's verb and the part of the message it opens: the message itself, or a later
    /// clause after a greeting, a statement or a topic ("I have 500 S. Stake 200 of it with
    /// validator 2", "for validator 5, unstake 20 S"). nil when no clause opens with one.
    func requestClause(among verbs: Set<String>) -> (verb: String, clause: Message)? {
        if let verb = requestVerb(among: verbs) { return (verb, self) }
        var rest = Substring(text)
        while let cut = rest.firstIndex(where: { ",:;!.?\n—".contains($0) }) {
            let after = rest.index(after: cut)
            // "4.2" and "0.5" are numbers, not clauses.
            let inNumber = rest[cut] == "." && after < rest.endIndex && rest[after].isNumber
            rest = rest[after...]
            guard !inNumber else { continue }
            let clause = Message(String(rest))
            if let verb = clause.requestVerb(among: verbs) { return (verb, clause) }
        }
        return nil
    }

    /// The message up to its first clause break (a comma, a stop, a dash…; not the point of
    /// "4.2"): "swap 50 USDC to S" of "swap 50 USDC to S, need gas money".
    var upToBreak: Message {
        var index = text.startIndex
        while let cut = text[index...].firstIndex(where: { ",;!?\n—".contains($0) || $0 == "." }) {
            let after = text.index(after: cut)
            if text[cut] == ".", after < text.endIndex, text[after].isNumber || text[after] == "." { index = after; continue }
            if text[cut] == ".", cut > text.startIndex, text[text.index(before: cut)] == "." { index = after; continue }
            return Message(String(text[..<cut]))
        }
        return self
    }

    /// Whether the first `word` is followed by a number ("staking 45 S", "staking twenty S").
    private func amountFollows(_ word: String) -> Bool {
        guard let index = tokens.firstIndex(where: { $0.kind == .word(word) }), index + 1 < tokens.count else { return false }
        switch tokens[index + 1].kind {
        case .number: return true
        case .word(let next): return !["a", "an", "single", "half"].contains(next) && (Lexicon.numberWords[next].map { $0 > 0 } ?? false)
        default: return false
        }
    }
}

extension Message {
    /// "issue an NFT", "issue 10 collectibles": "issue" as the verb, not "an issue with…".
    var issuesAsAVerb: Bool {
        let words = self.words
        return words.indices.contains { index in
            guard words[index] == "issue" else { return false }
            let before = index > 0 ? words[index - 1] : "", after = index + 1 < words.count ? words[index + 1] : ""
            return !["an", "a", "the", "no", "any", "some", "my", "this", "that", "one"].contains(before) && !["with", "about", "on", "in", "is"].contains(after)
        }
    }
}
