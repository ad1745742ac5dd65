import Ethereum
import Foundation

/// What `Planner.heldBack` reads in a message: a request taken back, a time, repetition or
/// condition it would run on, an action's verb, a question about how things work, a request to
/// be told how it went, and funds named as coming from another address.
extension Message {
    // MARK: Taken back

    /// "don't send…", "I won't stake…", "never send anything to 0x…" (a request negated at the start
    /// of its clause, with no request after it), or a clause of its own at the end taking it back
    /// ("…, never mind", "… jk", "…. cancel", "…, or not"). Not "don't forget to send…", "why don't
    /// you send…", "don't send it to the wrong address! send 5 S…", "…, send 10 instead".
    var retractsRequest: Bool { negatesTheRequest || takesItBackAtTheEnd }

    private var negatesTheRequest: Bool {
        let words = self.words
        let openers: Set<String> = ["i", "we", "please", "pls", "just", "no", "wait", "and", "but", "so", "actually", "ok", "okay", "oh", "nah", "hmm"]
        let after: Set<String> = ["ever", "actually", "even", "really", "you"]
        for index in words.indices {
            let negation: Int? = switch words[index] {
            case "don't", "dont", "never", "won't", "wont", "shouldn't", "mustn't": 1
            case let word where ["do", "will", "shall", "must"].contains(word) && index + 1 < words.count && words[index + 1] == "not": 2
            default: nil
            }
            guard let negation, index == 0 || openers.contains(words[index - 1]) else { continue }
            var verb = index + negation
            while verb < words.count, after.contains(words[verb]) { verb += 1 }
            guard verb < words.count, Self.actionVerbs.contains(words[verb]) else { continue }
            // "don't send anything else": a limit on what follows, not the request taken back.
            if words[(verb + 1)...].prefix(3).contains(where: ["else", "more", "other", "again", "twice", "extra"].contains) { continue }
            // A request after the negated one is what is asked ("don't send it to the wrong address! send 5 S…").
            if words[(verb + 1)...].contains(where: Self.actionVerbs.contains) { continue }
            return true
        }
        return false
    }

    private var takesItBackAtTheEnd: Bool {
        let lower = text.lowercased().replacingOccurrences(of: "’", with: "'")
        guard !lower.hasSuffix("no kidding"), !has(["instead", "rather"]) else { return false }
        let range = NSRange(lower.startIndex..., in: lower)
        return Self.takeBackExpressions.contains { $0.firstMatch(in: lower, range: range) != nil }
    }

    /// The two patterns, compiled once (every message is read against them).
    private static let takeBackExpressions = [takeBackPattern, jokePattern].compactMap { try? NSRegularExpression(pattern: $0) }

    /// "… jk", "… just kidding 😂": a joke said at the end, after anything.
    private static let jokePattern = #"\s(?:jk|j/k|just kidding|kidding|i'?m (?:just )?(?:kidding|joking)|joking)"# + trailer

    /// A closing clause that takes the request back, after a break (a comma, a stop, a dash) or an
    /// opener ("actually", "no", "wait", "hmm", "but").
    private static let takeBackPattern = #"(?:^|[,.;:!?…—–-]\s*|\b(?:actually|ok|okay|oh|no|nah|wait|hmm+|lol|haha|just|um+|uh+|but)\s+)"#
        + #"(?:never\s*mind(?: that)?|nvm|forget (?:it|that|about it)|scratch that|(?:just )?(?:kidding|joking)|i'?m (?:just )?(?:kidding|joking)|jk|j/k|"#
        + #"on second thoughts?|(?:i )?changed my mind|or not|maybe not|not really|hold off(?: on (?:it|that))?|cancel(?: (?:it|that))?|nah|no|"#
        + #"don'?t|do not|i won'?t|i will not|not anymore)"# + trailer

    /// What may follow a taking-back at the very end: "lol", "ignore that", "i'll wait", "sorry".
    private static let trailer = #"(?:\W+(?:jk|j/k|lol|haha|lmao|ignore (?:that|this|it|me)|nvm|never\s*mind|don'?t|i'?ll wait|wait|for now|later|sorry|thanks|thx))*\W*$"#

    /// Verbs of the requests that can be taken back or held.
    static let actionVerbs: Set<String> = MessageParser.clauseVerbs.union(Lexicon.defiVerbs).subtracting(["check", "show", "list", "display", "tell", "take", "add", "pull"])

    // MARK: Later, again, on a condition

    /// How a request would run later, again or on a condition, said back as written ("every
    /// day", "tomorrow", "10 times", "at 5pm", "once my balance is over 100…"); nil for a request
    /// for now. A time word counts where it modifies the request: right after its address, amount
    /// or token, or opening the message ("send 5 S to 0x… tomorrow"); not "I'll explain later",
    /// "the weekly groceries", "the dinner on friday".
    var scheduling: String? {
        for index in tokens.indices {
            if let span = repetition(at: index) ?? (anchored(index) ? time(at: index) : nil) ?? condition(at: index) {
                return tokens[span.clamped(to: tokens.indices)].map(\.raw).joined(separator: " ").trimmingCharacters(in: .punctuationCharacters)
            }
        }
        return nil
    }

    static let periods: Set<String> = ["day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute", "minutes", "mins",
                                       "morning", "night", "evening", "afternoon", "weekend", "fortnight"]
    static let weekdays: Set<String> = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// The word at `index`, lower-cased and without punctuation; "" for anything else.
    private func plainWord(_ index: Int) -> String {
        guard index >= 0, index < tokens.count, case .word(let word) = tokens[index].kind else { return "" }
        return word.trimmingCharacters(in: .punctuationCharacters)
    }

    private func isCount(_ index: Int) -> Bool {
        guard index >= 0, index < tokens.count else { return false }
        if case .number = tokens[index].kind { return true }
        return (Lexicon.numberWords[plainWord(index)] ?? 0) > 1 || ["a", "few", "couple"].contains(plainWord(index))
    }

    /// "daily", "every week", "per month", "5 S a month", "once a week", "10 times", "twice".
    private func repetition(at index: Int) -> Range<Int>? {
        let word = plainWord(index), next = plainWord(index + 1), previous = plainWord(index - 1)
        switch word {
        case "daily", "weekly", "monthly", "yearly", "hourly", "annually", "fortnightly", "biweekly", "bimonthly", "recurring", "recurringly",
             "repeatedly", "regularly", "automatically":
            // An adverb of the request, not an adjective ("the weekly groceries").
            let ends = index + 1 >= tokens.count || ["for", "until", "till", "from", "starting", "to", "and", "please", "pls", "forever"].contains(next)
                || { if case .address = tokens[index + 1].kind { true } else if case .number = tokens[index + 1].kind { true } else { false } }()
            return ends ? index..<(index + 1) : nil
        case "every", "each", "per":
            if Self.periods.contains(next) || Self.weekdays.contains(next) { return index..<(index + 2) }
            if word == "every", next == "other" || isCount(index + 1) { return index..<(index + 3) }
            return nil
        case "a" where Self.periods.contains(next) && (Lexicon.tokens[previous] != nil || ["once", "twice", "thrice"].contains(previous)):
            return (index - (["once", "twice", "thrice"].contains(previous) ? 1 : 0))..<(index + 2)
        case "times" where isCount(index - 1) && anchored(index - 1):
            return (index - 1)..<(index + 1)
        case let word where ["twice", "thrice"].contains(word) && anchored(index):
            return index..<(index + 1)
        default:
            return nil
        }
    }

    /// A time the request would wait for: "tomorrow", "tonight", "later", "this evening", "next
    /// week", "on friday", "on the 15th", "in 2 hours", "in a few days", "in the morning", "after
    /// lunch", "at the end of the month", "at 5pm", "17:30", "at noon".
    private func time(at index: Int) -> Range<Int>? {
        let word = plainWord(index), next = plainWord(index + 1), third = plainWord(index + 2)
        switch word {
        case "tomorrow", "tonight", "later", "someday", "eventually":
            return index..<(index + 1)
        case "this" where Self.periods.contains(next) || Self.weekdays.contains(next):
            return index..<(index + 2)
        case "next" where Self.periods.contains(next) || Self.weekdays.contains(next) || next == "time":
            return index..<(index + 2)
        case "on" where Self.weekdays.contains(next):
            return index..<(index + 2)
        case "on" where next == "the" && index + 2 < tokens.count && ["st", "nd", "rd", "th"].contains(plainWord(index + 3)):
            // "on the 15th": the tokenizer reads "15" and "th".
            if case .number = tokens[index + 2].kind { return index..<(index + 4) }
            return nil
        case "in" where (isCount(index + 1) && Self.periods.contains(third)) || next == "the" && Self.periods.contains(third):
            return index..<(index + 3)
        case "in" where next == "a" && ["few", "couple"].contains(third):
            return index..<(index + 5)
        case "after" where ["lunch", "dinner", "breakfast", "work", "school", "payday"].contains(next):
            return index..<(index + 2)
        case "at" where next == "the" && third == "end":
            return index..<(index + 6)
        case "at" where ["noon", "midnight", "night"].contains(next):
            return index..<(index + 2)
        case "first" where next == "thing":
            return index..<(index + 5)
        default:
            // "5pm", "5 pm", "17:30", "9:05am": a time of day.
            let clock = word.hasSuffix("am") || word.hasSuffix("pm") ? String(word.dropLast(2)) : word
            if clock.contains(":"), clock.first?.isNumber == true { return (index - (plainWord(index - 1) == "at" ? 1 : 0))..<(index + 1) }
            if case .number = tokens[index].kind, ["am", "pm", "o'clock", "oclock"].contains(next) {
                return (index - (plainWord(index - 1) == "at" ? 1 : 0))..<(index + 2)
            }
            return nil
        }
    }

    /// Whether a time phrase at `index` modifies the request: it opens the message, or follows
    /// the request's address, amount or token ("send 5 S to 0x… tomorrow", "swap 10 S for USDC
    /// on friday"), or a word of the request ("do it later").
    private func anchored(_ index: Int) -> Bool {
        var start = index
        if ["at", "on", "in", "after", "this", "next"].contains(plainWord(index)) == false, ["at", "on", "in"].contains(plainWord(index - 1)) { start -= 1 }
        guard start > 0 else { return true }
        switch tokens[start - 1].kind {
        case .address, .number: return true
        case .word(let word):
            let word = word.trimmingCharacters(in: .punctuationCharacters)
            return Lexicon.tokens[word] != nil || ["it", "this", "that", "them", "please", "pls", "and", "then", "tx", "transfer", "payment"].contains(word)
                || Self.actionVerbs.contains(word)
        default: return false
        }
    }

    /// "once my balance is over 100", "if the price goes above 1 dollar", "when I get my salary",
    /// "as soon as gas is cheap": a condition the request would wait for. Not one a notice asked
    /// after the request waits for ("…and let me know when it arrives").
    private func condition(at index: Int) -> Range<Int>? {
        let word = plainWord(index)
        guard ["once", "when", "whenever", "if", "until", "after", "as"].contains(word) else { return nil }
        if word == "as", !(plainWord(index + 1) == "soon" && plainWord(index + 2) == "as") { return nil }
        let notices: Set<String> = ["know", "tell", "notify", "alert", "ping", "remind", "inform", "message", "email", "update", "updated"]
        if ((index - 4)..<index).contains(where: { notices.contains(plainWord($0)) }),
           (0..<index).contains(where: { Self.actionVerbs.contains(plainWord($0)) && !notices.contains(plainWord($0)) }) { return nil }
        let conditions: Set<String> = ["price", "balance", "hits", "hit", "reaches", "reach", "goes", "drops", "drop", "rises", "above", "below", "over",
                                       "under", "arrives", "receive", "received", "confirmed", "lands", "falls", "pumps", "dips", "paid", "salary", "payday",
                                       "cheap", "cheaper", "lower", "higher"]
        let clause = (index + 1)..<min(tokens.count, index + 9)
        return clause.contains(where: { conditions.contains(plainWord($0)) }) ? index..<min(tokens.count, index + 7) : nil
    }

    // MARK: Verbs, questions, notices, sources

    /// Whether an action's verb is used as a verb ("stake 200 S"), not a noun ("my stake").
    var namesAnAction: Bool {
        let words = self.words
        return words.indices.contains { index in
            Self.actionVerbs.contains(words[index]) && !(index > 0 && ["my", "the", "your", "a", "our", "their", "his", "her"].contains(words[index - 1]))
        }
    }

    /// A question about how things work ("what happens if I stake and the price drops?", "should
    /// I swap when the price is low?"), not a request put as one ("can you send 5 S…?").
    var asksHowThingsWork: Bool {
        let words = self.words
        guard let first = words.first else { return false }
        if ["can", "could", "will", "would"].contains(first), words.dropFirst().first == "you" { return false }
        if ["what", "whats", "what's", "how", "why", "should", "is", "are", "does", "do", "did", "which"].contains(first) { return true }
        // "when S drops below 0.5 stake 200 S" is a condition; "can I stake daily?" a question.
        return ["can", "could", "would", "when"].contains(first) && text.trimmingCharacters(in: .whitespaces).hasSuffix("?")
    }

    /// A request and a bare verb after it ("unstake 50 S from validator 3 and withdraw", "wrap
    /// 10 S, then stake it"): the request and the rest, which `MessageParser.severalRequests`
    /// does not take for one (it names no amount or token of its own). Not a second amount and
    /// address ("1 S to 0x… and 2 S to 0x…"), which opens with no verb.
    var trailingRequest: (first: Message, rest: Message)? {
        for separator in [" and then ", ", then ", " then ", " and also ", ", and ", " and ", "; "] {
            guard let range = text.range(of: separator, options: [.caseInsensitive, .backwards]) else { continue }
            let first = Message(String(text[..<range.lowerBound])), rest = Message(String(text[range.upperBound...]))
            guard let verb = rest.words.first, Self.actionVerbs.contains(verb), !rest.phrase("pay attention"), first.namesAnAction else { continue }
            // Two transfers ("send 1 S to A. Then send 2 S to B") are said back together.
            if Lexicon.sendVerbs.contains(verb), first.has(Lexicon.sendVerbs) { continue }
            return (first, rest)
        }
        return nil
    }

    /// "tell me when it confirms", "let me know once it arrives": a request to hear how it went.
    var asksForNotice: Bool {
        phrase("let me know") || phrase("tell me") || phrase("notify me") || phrase("ping me") || phrase("keep me posted") || phrase("update me")
    }

    /// The addresses, other than `connected`, that a request would take funds from ("swap
    /// 100 S from 0x…"), said back; nil when none.
    func fromAnother(than connected: Address?) -> String? {
        // "stake 0x…'s 100 S", "use 0x…'s USDC": an address owning the funds, unless it is where they go ("to 0x…'s wallet").
        let owners = tokens.indices.compactMap { index -> String? in
            guard case .address(let address) = tokens[index].kind, tokens[index].raw.lowercased().hasSuffix("'s") || tokens[index].raw.hasSuffix("’s"),
                  !["to", "into", "for"].contains(plainWord(index - 1)) else { return nil }
            return address
        }
        let others = (sourceAddresses + owners).filter { $0 != connected?.lowercased }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            .compactMap { try? Address($0).checksummed }
        return others.isEmpty ? nil : others.joined(separator: " and ")
    }
}
