import Ethereum
import Foundation
import Logging
import SonicChain
import SonicStore

/// The knowledge base (docs/knowledge/*.md in SQLite FTS5): general questions are answered in
/// sentences from the article that matches best, which the reply cites in `sources`.
extension AgentService {
    /// The words of a question worth searching for.
    static func searchWords(_ query: String) -> [String] {
        let all = query.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let meaningful = all.filter { !["what", "how", "the", "and", "can", "you", "does", "with", "from", "this", "that", "your", "about", "is", "it", "do", "to", "me", "my", "i"].contains($0) }
        // "what can you do?" is all small words: search with them rather than with nothing.
        return meaningful.isEmpty ? all : meaningful
    }

    /// The knowledge-base article that best matches a question, if any does.
    func knowledge(_ query: String) async -> KnowledgeHit? {
        (try? await knowledge?.searchKnowledge(Self.searchWords(query), limit: 1))??.first
    }

    /// The best knowledge-base article for a question, cited.
    func answer(_ query: String, fallback: String) async -> (String, [Card], [Source]?) {
        let words = Self.searchWords(query)
        guard let hit = await bestArticle(query) else { return (fallback, [], nil) }
        // The two sentences that share most words with the question, in the article's order.
        let sentences = hit.body.components(separatedBy: ". ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let scored = sentences.enumerated().map { index, sentence -> (Int, Int) in
            let lower = sentence.lowercased()
            return (index, words.filter { lower.contains($0) }.count)
        }
        let chosen = scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(2).map(\.0).sorted()
        let text = chosen.map { sentences[$0] }.joined(separator: ". ")
        return (text.hasSuffix(".") ? text : text + ".", [], [Source(slug: hit.slug, title: hit.title)])
    }

    /// The article that answers `query` best: of the search's hits, the one sharing most words
    /// with it in title and text, the shorter title on a tie ("what is Sonic?" is "What Sonic is").
    func bestArticle(_ query: String) async -> KnowledgeHit? {
        let words = Self.searchWords(query)
        guard let hits = (try? await knowledge?.searchKnowledge(words, limit: 6)) ?? nil, !hits.isEmpty else { return nil }
        func score(_ hit: KnowledgeHit) -> Int {
            let title = hit.title.lowercased(), body = hit.body.lowercased()
            return words.filter { title.contains($0) }.count + words.filter { body.contains($0) }.count
        }
        return hits.enumerated().max { a, b in
            let (left, right) = (score(a.element), score(b.element))
            if left != right { return left < right }
            if a.element.title.count != b.element.title.count { return a.element.title.count > b.element.title.count }
            return a.offset > b.offset
        }?.element
    }
}

extension AgentService {
    /// Loads docs/knowledge/*.md (title from the first heading) into the store's search index.
    static func loadKnowledge(directory: String, into store: (any KnowledgeRepository)?) {
        guard let store, let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        var articles: [(slug: String, title: String, body: String)] = []
        for file in files.sorted() where file.hasSuffix(".md") {
            guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            let title = lines.first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) } ?? file
            let body = lines.filter { !$0.hasPrefix("#") }.joined(separator: " ")
            articles.append((slug: String(file.dropLast(3)), title: title, body: body))
        }
        let loaded = articles
        do { try ThreadExecutor.run { () async throws(StoreError) in try await store.loadKnowledge(loaded) } } catch { logger.warning("knowledge base: \(error)") }
    }
}
