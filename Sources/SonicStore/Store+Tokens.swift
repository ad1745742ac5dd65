import Ethereum
import Foundation
import GRDB

extension Store: TokenRepository {
    public func tokenMetadata(_ tokens: [Address]) throws(StoreError) -> [Address: TokenMetadata] {
        guard !tokens.isEmpty else { return [:] }
        return try read { db in
            let marks = Self.placeholders(tokens.count)
            var found: [Address: TokenMetadata] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(TokenMetadata.Columns.selection()) FROM token_metadata WHERE address IN (\(marks))",
                                        arguments: StatementArguments(tokens)) {
                let metadata = try TokenMetadata(row: row)
                found[metadata.address] = metadata
            }
            return found
        }
    }

    public func saveTokenMetadata(_ metadata: [TokenMetadata]) throws(StoreError) {
        guard !metadata.isEmpty else { return }
        try write { db in
            for token in metadata {
                try db.execute(sql: """
                    INSERT INTO token_metadata (\(TokenMetadata.Columns.selection())) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(address) DO UPDATE SET name = excluded.name, symbol = excluded.symbol, decimals = excluded.decimals,
                        read_at = excluded.read_at
                    """, arguments: [token.address, token.name, token.symbol, token.decimals, token.readAt.timeIntervalSince1970])
            }
        }
    }

    public func tokensSeen(by address: Address, limit: Int) throws(StoreError) -> [Address] {
        try read { db in
            // The address's history is one primary-key range; the newest entry of each token orders them.
            try Row.fetchAll(db, sql: """
                SELECT token_address, max(block) AS last FROM activity
                WHERE address = ? AND type = 'token_transfer' AND token_address IS NOT NULL
                GROUP BY token_address ORDER BY last DESC, token_address LIMIT ?
                """, arguments: [address, limit])
                .map { row throws(StoreError) in try row.value(SeenColumns.tokenAddress) }
        }
    }

    public func addedTokens(of address: Address) throws(StoreError) -> [Address] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT token FROM added_token WHERE address = ? ORDER BY added_at, token", arguments: [address])
                .map { row throws(StoreError) in try row.value(AddedColumns.token) }
        }
    }

    public func addToken(_ token: Address, for address: Address, limit: Int, at date: Date) throws(StoreError) -> Bool {
        try write { db in
            let present = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM added_token WHERE address = ? AND token = ?)",
                                            arguments: [address, token]) ?? false
            if present { return true }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM added_token WHERE address = ?", arguments: [address]) ?? 0
            guard count < limit else { return false }
            try db.execute(sql: "INSERT INTO added_token (address, token, added_at) VALUES (?, ?, ?)",
                           arguments: [address, token, date.timeIntervalSince1970])
            return true
        }
    }

    @discardableResult
    public func removeToken(_ token: Address, for address: Address) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM added_token WHERE address = ? AND token = ?", arguments: [address, token])
            return db.changesCount > 0
        }
    }

    public func latestApprovals(of owner: Address, limit: Int) throws(StoreError) -> [TokenApproval] {
        try read { db in
            // The newest event of each pair: the one no later event of the same pair follows.
            try Row.fetchAll(db, sql: """
                SELECT \(TokenApproval.Columns.selection(from: "a")) FROM token_approval a
                WHERE a.owner = ? AND NOT EXISTS (
                    SELECT 1 FROM token_approval b WHERE b.owner = a.owner AND b.token = a.token AND b.spender = a.spender
                      AND (b.block > a.block OR (b.block = a.block AND b.log_index > a.log_index)))
                ORDER BY a.block DESC, a.log_index DESC LIMIT ?
                """, arguments: [owner, limit])
                .map { row throws(StoreError) in try TokenApproval(row: row) }
        }
    }

    /// What `tokensSeen` reads, in order.
    enum SeenColumns: Int, TableColumns {
        case tokenAddress
        static let table = "activity"
    }

    /// What `addedTokens` reads, in order.
    enum AddedColumns: Int, TableColumns {
        case token
        static let table = "added_token"
    }
}
