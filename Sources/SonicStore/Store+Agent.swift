import Foundation
import GRDB

/// An article of the knowledge base that matched a question.
public struct KnowledgeHit: Sendable, Equatable {
    public let slug: String
    public let title: String
    public let body: String
}

extension Store {
    /// The saved state of a conversation (JSON), if it exists and belongs to `address`.
    public func conversationState(_ id: String, address: String?) throws(StoreError) -> String? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT address, state FROM conversation WHERE id = ?", arguments: [id]).flatMap { row in
                (row["address"] as String?) == address ? row["state"] as String : nil
            }
        }
    }

    public func saveConversation(_ id: String, address: String?, state: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO conversation (id, address, state, updated_at) VALUES (?, ?, ?, ?)",
                           arguments: [id, address, state, Date().timeIntervalSince1970])
        }
    }

    /// Replaces the knowledge base with `articles` (slug, title, body).
    public func loadKnowledge(_ articles: [(slug: String, title: String, body: String)]) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM knowledge")
            for article in articles {
                try db.execute(sql: "INSERT INTO knowledge (slug, title, body) VALUES (?, ?, ?)", arguments: [article.slug, article.title, article.body])
            }
        }
    }

    /// The best articles for `words` by BM25 (title matches count more).
    public func searchKnowledge(_ words: [String], limit: Int) throws(StoreError) -> [KnowledgeHit] {
        let terms = words.map { $0.filter { $0.isLetter || $0.isNumber } }.filter { $0.count >= 2 }.map { "\"\($0)\"*" }
        guard !terms.isEmpty else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT slug, title, body FROM knowledge WHERE knowledge MATCH ? ORDER BY bm25(knowledge, 0.0, 5.0, 1.0) LIMIT ?
                """, arguments: [terms.joined(separator: " OR "), limit]).map {
                KnowledgeHit(slug: $0["slug"], title: $0["title"], body: $0["body"])
            }
        }
    }
}
