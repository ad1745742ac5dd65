import Ethereum

/// The rule that value only moves out of the person's own wallet: a message asking for funds
/// to come *to* them — from another address ("send 5 S from 0x… to me"), from someone made to
/// pay ("I want 0x… to pay me"), or as a payment request — is declined with the reason, never
/// turned into a card going the other way.
extension Planner {
    func wrongDirection(_ parsed: ParsedMessage, _ message: Message, connected: Address?) -> String? {
        guard ![.transactionHistory, .transactionStatus, .gasPrice, .swap, .defiQuery, .tokenApproval, .subscriptionPurchase,
                .subscriptionStatus, .nftCreation].contains(parsed.intent) else { return nil }
        let others = message.addresses.filter { $0 != connected?.lowercased }
        let states = !message.addresses.isEmpty || !message.numbers.isEmpty || message.share != nil || message.fractionAmount != nil
            || parsed.intent == .sendTransaction
        let fromAnother = message.sourceAddresses.contains { $0 != connected?.lowercased }
        let toThem = states && message.namesThePersonAsRecipient
        // "send 5 S to 0x… for invoice 12" pays an invoice; "invoice 0x… for 12 S" asks to be paid.
        let paying = message.requestVerb(among: Lexicon.sendVerbs) != nil && message.hasTo
        let request = states && !paying && (message.asksForPayment || message.isOwedMoney
            || message.phrase("ask") && message.has(Lexicon.sendVerbs))
        guard fromAnother || toThem || request else { return nil }
        let other = others.first.flatMap { try? Address($0).checksummed }.map { " \($0)" } ?? " anyone else"
        let share = connected.map { ": \($0.checksummed)" } ?? ""
        return "I can only send your own funds, out of your connected wallet, so I won't prepare a transfer that takes coins from\(other) "
            + "or makes them pay you. Asking someone for a payment (a payment request) is planned for later; for now, share your address "
            + "with them\(share)."
    }
}

extension Message {
    /// Where funds would come from: an address after "from", "out of", "on behalf of" or
    /// "using" ("from 0x…", "using 0x…'s funds"), or one that would do the sending ("make 0x…
    /// send", "0x… should pay").
    var sourceAddresses: [String] {
        func word(_ index: Int) -> String {
            guard index >= 0, index < tokens.count, case .word(let word) = tokens[index].kind else { return "" }
            return word.trimmingCharacters(in: .punctuationCharacters)
        }
        return tokens.indices.compactMap { index in
            guard case .address(let address) = tokens[index].kind else { return nil }
            let (previous, before) = (word(index - 1), word(index - 2))
            if previous == "from" || previous == "using" || previous == "of" && ["out", "behalf"].contains(before) { return address }
            // "out of wallet 0x…", "from my other wallet 0x…", "in wallet 0x…", "held by 0x…".
            var back = index - 1
            while ["my", "other", "wallet", "account", "address", "addr", "second", "old", "new", "the", "main", "own"].contains(word(back)) { back -= 1 }
            if back < index - 1, ["from", "using", "in"].contains(word(back)) || word(back) == "of" && word(back - 1) == "out" { return address }
            if previous == "by", ["held", "owned", "kept"].contains(before) { return address }
            // The address as the subject of a send verb ("0x… should pay"), or its object made to
            // send ("make 0x… send", "I want 0x… to pay"); not "to 0x… to pay for dinner".
            var next = index + 1
            while ["should", "will", "can", "could", "must", "would", "please"].contains(word(next)) { next += 1 }
            if word(next) == "to", ["want", "need", "make", "have", "get", "ask", "let", "tell", "like", "told", "asked"].contains(previous) { next += 1 }
            let recipient = tokens.indices.contains { tokens[$0].kind == .address(address) && ["to", "into"].contains(word($0 - 1)) }
            return Lexicon.sendVerbs.union(["sends", "pays"]).contains(word(next)) && !recipient ? address : nil
        }
    }

    /// "invoice 0x… for 12 S", "request 5 S from 0x…": a payment asked for; not a word of it used
    /// as a noun ("the electric bill", "my invoice").
    var asksForPayment: Bool {
        let words = self.words
        let determiners: Set<String> = ["the", "a", "an", "my", "his", "her", "our", "their", "this", "that", "your", "electric", "electricity", "phone",
                                        "water", "gas", "utility", "restaurant", "dinner", "hotel", "internet", "credit", "card"]
        return words.indices.contains { index in
            Lexicon.paymentRequestWords.subtracting(["owe", "owes", "owed"]).contains(words[index]) && !(index > 0 && determiners.contains(words[index - 1]))
        }
    }

    /// "0x… owes me 7 S", "I'm owed 5 S": money owed to the person, not by them ("i owe him
    /// 37.25 S, his address is 0x…" is a payment out).
    var isOwedMoney: Bool {
        let words = self.words
        return words.indices.contains { index in
            let next = index + 1 < words.count ? words[index + 1] : "", previous = index > 0 ? words[index - 1] : ""
            switch words[index] {
            case "owe", "owes": return ["me", "us"].contains(next)
            case "owed": return ["i'm", "im", "am", "are", "we're", "i", "me", "us"].contains(previous) || ["me", "us", "to"].contains(next)
            default: return false
            }
        }
    }

    /// Whether the person is named as the one to receive: "to me", "to my wallet" (with no
    /// address after it), "send me", "pay me", "to myself".
    var namesThePersonAsRecipient: Bool {
        let words = self.words
        for (index, word) in words.enumerated() {
            let next = index + 1 < words.count ? words[index + 1] : nil
            if ["to", "into", "towards"].contains(word), let next {
                if ["me", "myself", "us", "ourselves", "mine"].contains(next) { return true }
                // "to my wallet", "to my own address"; not "to my friend", who is someone else.
                let after = words[(index + 2)...].prefix(2)
                if next == "my", !addressFollows(word: index + 1, within: 4), after.contains(where: Lexicon.ownPlaces.contains) { return true }
            }
            if Lexicon.sendVerbs.union(["pays", "sends", "give", "gives", "transfers", "owes", "owe", "refund", "reimburse"]).contains(word),
               next == "me" || next == "us" {
                return true
            }
        }
        return false
    }

    /// Who a transfer names as its recipient when it is not an address: "alice" in "send 1 S to
    /// alice", "my friend". nil when an address, the person, or nobody is named.
    var recipientName: String? {
        for (index, token) in tokens.enumerated() {
            guard case .word(let word) = token.kind, ["to", "for"].contains(word), index + 1 < tokens.count else { continue }
            var named: [String] = []
            for next in tokens[(index + 1)...] {
                guard case .word(let name) = next.kind, !["please", "pls", "now", "today", "asap", "thanks", "and", "instead"].contains(name) else { break }
                named.append(next.raw.trimmingCharacters(in: .punctuationCharacters))
                if next.raw.last.map({ ",.!?".contains($0) }) ?? false { break }
            }
            guard let first = named.first?.lowercased(), !named.isEmpty, named.count <= 3,
                  !["me", "myself", "us", "it", "them", "him", "her", "someone", "somebody", "the", "a", "an", "address", "wallet", "buy", "pay", "get",
                    "send", "see", "check", "confirm", "sign", "do"].contains(first),
                  Lexicon.tokens[first] == nil, !(first == "my" && named.dropFirst().contains { Lexicon.ownPlaces.contains($0.lowercased()) }) else { continue }
            return named.joined(separator: " ")
        }
        return nil
    }

    /// Whether an address is written within `count` words after the `word`-th word.
    private func addressFollows(word index: Int, within count: Int) -> Bool {
        var seen = -1
        for token in tokens {
            if case .word = token.kind { seen += 1; continue }
            if case .address = token.kind, seen >= index, seen <= index + count { return true }
        }
        return false
    }
}
