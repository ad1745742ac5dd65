import Foundation

/// A collection's name, apart from its settings: in "Sonic Punks with symbol SPUNK", "Moon
/// Cats, symbol MCAT, max supply 1000", "Neon Dreams (symbol NEON)" or "Lagos Lights and a
/// royalty of 5%", the name ends where a setting begins.
extension EntityExtractor {
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
        let joins: Set<String> = ["with", "and", "a", "an", "the", "its", "of", "&", "+"]
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
