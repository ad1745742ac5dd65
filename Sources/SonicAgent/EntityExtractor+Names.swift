import Foundation

/// An NFT's name and description; a collection's name apart from its settings: in "Sonic Punks with symbol SPUNK", "Moon
/// Cats, symbol MCAT, max supply 1000", "Neon Dreams (symbol NEON)" or "Lagos Lights and a
/// royalty of 5%", the name ends where a setting begins.
extension EntityExtractor {
    /// The name after "called", "named", "titled" (quoted or not), and the description after
    /// "description" or "described as".
    func nameAndDescription() -> (String?, String?) {
        let text = message.text
        // "(name=…" opens a name as " name=" does; one character for one keeps the indices.
        let lower = text.lowercased().replacingOccurrences(of: "(", with: " ")
        var name: String?
        var description: String?
        for cue in [" called ", " named ", " titled ", " name it ", " call it ", " calling it ", " title it ", " titled it ", " dub it ", " label it ", " name:", " name=", " name =", " title:", " entitled ", " name "] {
            if let range = lower.range(of: cue) {
                name = Self.clean(String(text[range.upperBound...]), stopAt: [" with description", " and description", " with the description",
                                                                              " described as", " description", ", description", " and a description"])
                // "name is Red Foxes", "named as Owls": the copula is not part of it.
                name = name.map(Self.withoutCopula).map(Self.withoutSettings)
                break
            }
        }
        for cue in ["description ", "described as ", "description:", "about "] {
            if let range = lower.range(of: cue, options: .backwards), name.map({ !$0.lowercased().contains(cue.trimmingCharacters(in: .whitespaces)) }) ?? true {
                let candidate = Self.clean(String(text[range.upperBound...]), stopAt: [])
                if cue == "about " && !lower.contains("description") { break }
                description = candidate
                break
            }
        }
        // "deploy my collection Salt & Pepper, symbol SNP", "an NFT collection: Glass Owls / GOWL",
        // "an nft contract for Lunar Foxes with ticker LFOX": a capitalised or quoted name right
        // after the collection or its contract, or after "for" it.
        if name == nil {
            for noun in [" collection", " contract", " erc721", " erc-721", " erc1155", " erc-1155"] {
                guard let range = lower.range(of: noun) else { continue }
                var after = text[range.upperBound...].drop { $0 == " " }
                if let joint = [":", "-", "–", "for "].first(where: { after.lowercased().hasPrefix($0) }) {
                    after = after.dropFirst(joint.count).drop { $0 == " " }
                }
                let firstWord = after.split(separator: " ").first.map { $0.lowercased() } ?? ""
                guard let first = after.first, first.isUppercase || "\"“'".contains(first), !Self.notNames.contains(firstWord) else { continue }
                name = Self.withoutSettings(Self.clean(String(after), stopAt: [" with description", " and description", " described as", " description"]))
                break
            }
        }
        // "spin up a collection for my band, Paper Tigers, ticker PTGR": the name set apart by a
        // comma or colon after the collection.
        if name == nil, let range = text.range(of: " collection", options: .caseInsensitive) ?? text.range(of: " nft", options: .caseInsensitive) {
            let notNames = Self.notNames
            let parts = text[range.upperBound...].split(omittingEmptySubsequences: false, whereSeparator: { ",:;—".contains($0) })
            for (before, part) in zip(parts, parts.dropFirst()) {
                // "with description: A cat", "symbol: CAT": what follows a setting's word is its value.
                let cue = before.split(separator: " ").last.map { $0.lowercased() } ?? ""
                guard !Self.settingWords.contains(cue), !["description", "described", "about", "title", "name"].contains(cue) else { continue }
                let candidate = part.trimmingCharacters(in: .whitespaces)
                guard let first = candidate.first, first.isUppercase || "\"“'".contains(first) else { continue }
                let firstWord = candidate.split(separator: " ").first.map { $0.lowercased() } ?? ""
                guard !Self.settingWords.contains(firstWord), !notNames.contains(firstWord) else { continue }
                name = Self.withoutSettings(Self.clean(candidate, stopAt: []))
                break
            }
        }
        if name == nil, let quoted = message.tokens.compactMap({ if case .quoted(let q) = $0.kind { return q }; return nil }).first {
            name = quoted
        }
        return (name?.isEmpty == true ? nil : name, description?.isEmpty == true ? nil : description)
    }

    static func clean(_ text: String, stopAt stops: [String]) -> String {
        var value = text.trimmingCharacters(in: .whitespaces)
        // A quote closes with its own mark: "Grandma's Garden" keeps its apostrophe, and in
        // 'Copper Owls' an apostrophe inside a word ("Owl's") does not close it.
        if let first = value.first, "\"“'".contains(first) {
            let inner = value.dropFirst()
            let close = first == "'"
                ? inner.indices.first { inner[$0] == "'" && (inner.index(after: $0) == inner.endIndex || !inner[inner.index(after: $0)].isLetter) }
                : inner.firstIndex { "\"”“".contains($0) }
            if let close { return String(value[value.index(after: value.startIndex)..<close]) }
        }
        // The name ends with its sentence: "called Ember Foxes? symbol EMBR".
        for stop in stops + ["? ", "! "] {
            if let range = value.lowercased().range(of: stop) {
                value = String(value[..<value.index(value.startIndex, offsetBy: value.lowercased().distance(from: value.lowercased().startIndex, to: range.lowerBound))])
            }
        }
        value = value.trimmingCharacters(in: CharacterSet(charactersIn: " .!?,;:\"“”'"))
        for suffix in [" please", " pls", " for me", " on sonic"] where value.lowercased().hasSuffix(suffix) {
            value = String(value.dropLast(suffix.count))
        }
        return value
    }

    /// `name` without the verb that joins it to its cue ("is Red Foxes", "will be Moon Cats", "as Owls").
    static func withoutCopula(_ name: String) -> String {
        for copula in ["is ", "will be ", "should be ", "shall be ", "would be ", "be ", "as ", "= "] where name.lowercased().hasPrefix(copula) {
            return clean(String(name.dropFirst(copula.count)), stopAt: [])
        }
        return name
    }

    /// Words that open a sentence of their own, not a name ("collection I drew", "collection. Thanks").
    static let notNames: Set<String> = ["i", "i'm", "i'd", "we", "you", "it", "my", "thanks", "thank", "please", "pls", "cheers", "ok", "okay", "and", "but", "so", "then"]

    static let settingWords: Set<String> = [
        "symbol", "ticker", "supply", "royalty", "royalties", "price", "limit", "edition", "editions", "size", "max", "maximum", "total",
        "fee", "fees", "decimals", "chain", "network", "items", "pieces", "uri", "url", "metadata", "base",
    ]

    /// `name` up to the first setting ("symbol", "supply", …), with any joining word before it
    /// ("with a", "and", ",", "(") left out; the first word always stays.
    static func withoutSettings(_ name: String) -> String {
        let words = name.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count > 1 else { return name }
        // "symbol=PXL", "symbol:" name the setting too.
        func bare(_ word: String) -> String {
            let key = word.lowercased().split(whereSeparator: { "=:".contains($0) }).first.map(String.init) ?? ""
            return key.trimmingCharacters(in: CharacterSet(charactersIn: "()[],.;-–"))
        }
        let joins: Set<String> = ["with", "w/", "w", "and", "a", "an", "the", "its", "of", "&", "+"]
        // "Glass Owls / GOWL", "Glass Owls | GOWL": a separator ends the name.
        if let separator = words.indices.dropFirst().first(where: { ["/", "|", "-", "–", "—"].contains(words[$0]) }) {
            return withoutSettings(words[..<separator].joined(separator: " "))
        }
        // "CryptoCritters (CCR)": what follows in brackets is a setting, the symbol.
        if let bracket = words.indices.dropFirst().first(where: { words[$0].hasPrefix("(") }) {
            return withoutSettings(words[..<bracket].joined(separator: " "))
        }
        for index in 1..<words.count {
            guard settingWords.contains(bare(words[index])) else { continue }
            // The name ends at a comma before the setting ("Glass Birds, 300 items"), else where
            // the words joining the setting to it begin ("with a", "and", "300").
            if let comma = words[..<index].firstIndex(where: { $0.hasSuffix(",") }) {
                return words[...comma].joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: " ,;:(-–"))
            }
            var start = index
            while start > 1, joins.contains(bare(words[start - 1])) || bare(words[start - 1]).first?.isNumber == true { start -= 1 }
            let kept = words[..<start].joined(separator: " ")
            return kept.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:(-–"))
        }
        return name
    }
}
