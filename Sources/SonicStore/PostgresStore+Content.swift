import Foundation

/// Uploaded NFT content on PostgreSQL, so every host serves what any host stored.
extension PostgresStore: ContentRepository {
    public func saveContent(_ object: StoredContent) async throws(StoreError) {
        try await transaction { (db: Transaction) async throws(StoreError) in
            // Two hosts storing the same file at once: the second finds it there and keeps it.
            let inserted = try await db.execute("""
                INSERT INTO content_object (root, content_type, size, blocks, stored_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (root) DO NOTHING
                """, [object.root, object.contentType, object.size, object.blockKeys.joined(separator: ","), Date().timeIntervalSince1970])
            guard inserted == 1 else { return }
            for key in Set(object.blockKeys) {
                guard let bytes = object.blocks[key] else { throw StoreError.unavailable(path: "PostgreSQL", reason: "block \(key) of \(object.root) is missing") }
                try await db.execute("INSERT INTO content_block (object, key, bytes) VALUES (?, ?, ?)", [object.root, key, Data(bytes)])
            }
        }
    }

    public func content(root: String) async throws(StoreError) -> StoredContent? {
        // One statement: the object and its blocks as of one snapshot (a removal is all or nothing).
        let rows = try await rows("""
            SELECT o.content_type, o.size, o.blocks, b.key, b.bytes FROM content_object o
            LEFT JOIN content_block b ON b.object = o.root WHERE o.root = ?
            """, [root])
        guard let first = rows.first, let contentType: String = first[0], let size: Int64 = first[1], let keys: String = first[2] else { return nil }
        var blocks: [String: [UInt8]] = [:]
        for row in rows {
            guard let key: String = row[3], let bytes: Data = row[4] else { continue }
            blocks[key] = Array(bytes)
        }
        return StoredContent(root: root, contentType: contentType, size: Int(size), blockKeys: keys.split(separator: ",").map(String.init), blocks: blocks)
    }

    public func removeContent(root: String) async throws(StoreError) -> Bool {
        try await transaction { (db: Transaction) async throws(StoreError) in
            try await db.execute("DELETE FROM content_block WHERE object = ?", [root])
            return try await db.execute("DELETE FROM content_object WHERE root = ?", [root]) == 1
        }
    }
}
