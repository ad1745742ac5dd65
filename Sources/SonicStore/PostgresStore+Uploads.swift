import Ethereum
import Foundation
import GRDB

/// NFT uploads and the tokens an address holds, added or allowed on PostgreSQL: `Store`'s
/// statements in PostgreSQL's words.
extension PostgresStore: UploadRepository, TokenRepository {
    public func uploadUsage(of address: Address, since: Date) async throws(StoreError) -> UploadUsage {
        let row = try await rows("""
            SELECT count(*), coalesce(sum(bytes), 0)::bigint, min(uploaded_at) FROM nft_upload WHERE address = ? AND uploaded_at >= ?
            """, [address, since.timeIntervalSince1970]).first
        let count: Int64 = row?[0] ?? 0
        let bytes: Int64 = row?[1] ?? 0
        return UploadUsage(count: Int(count), bytes: Int(bytes), oldest: (row?[2] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    public func recordUpload(_ upload: NFTUpload) async throws(StoreError) {
        try await execute("""
            INSERT INTO nft_upload (address, metadata_cid, image_cid, bytes, uploaded_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (address, metadata_cid) DO UPDATE SET uploaded_at = excluded.uploaded_at, removed_at = NULL
            """, [upload.address, upload.metadataCID, upload.imageCID, upload.bytes, upload.uploadedAt.timeIntervalSince1970])
    }

    @discardableResult
    public func markMintedUploads(contract: Address?, at date: Date) async throws(StoreError) -> Int {
        try await execute("""
            UPDATE nft_upload SET minted_at = ? WHERE minted_at IS NULL AND EXISTS (
                SELECT 1 FROM nft_transfer WHERE token_uri = 'ipfs://' || nft_upload.metadata_cid
                    AND sender = '0x0000000000000000000000000000000000000000' AND (?::text IS NULL OR contract = ?::text))
            """, [date.timeIntervalSince1970, contract, contract])
    }

    public func uploadsToPin(at now: Date, limit: Int) async throws(StoreError) -> [(metadataCID: String, imageCID: String)] {
        try await rows("""
            SELECT DISTINCT metadata_cid, image_cid FROM nft_upload
            WHERE minted_at IS NOT NULL AND pinned_at IS NULL AND (pin_retry_at IS NULL OR pin_retry_at <= ?) LIMIT ?
            """, [now.timeIntervalSince1970, limit]).map { (metadataCID: $0[0] ?? "", imageCID: $0[1] ?? "") }
    }

    public func recordPinning(_ metadataCID: String, at date: Date, retryAt: Date?) async throws(StoreError) {
        if let retryAt {
            try await execute("UPDATE nft_upload SET pin_retry_at = ? WHERE metadata_cid = ?", [retryAt.timeIntervalSince1970, metadataCID])
        } else {
            try await execute("UPDATE nft_upload SET pinned_at = ? WHERE metadata_cid = ?", [date.timeIntervalSince1970, metadataCID])
        }
    }

    public func expireUnmintedUploads(before cutoff: Date, at date: Date) async throws(StoreError) -> [String] {
        try await transaction { (db: Transaction) async throws(StoreError) in
            let stale = try await db.rows("""
                SELECT metadata_cid, image_cid FROM nft_upload WHERE minted_at IS NULL AND removed_at IS NULL AND uploaded_at < ?
                """, [cutoff.timeIntervalSince1970])
            var gone: Set<String> = []
            for row in stale {
                guard let metadata: String = row[0], let image: String = row[1] else { continue }
                try await db.execute("UPDATE nft_upload SET removed_at = ? WHERE metadata_cid = ? AND minted_at IS NULL AND uploaded_at < ?",
                                     [date.timeIntervalSince1970, metadata, cutoff.timeIntervalSince1970])
                for cid in [metadata, image] {
                    let needed = try await db.rows("""
                        SELECT 1 FROM nft_upload WHERE (metadata_cid = ? OR image_cid = ?) AND (minted_at IS NOT NULL OR removed_at IS NULL) LIMIT 1
                        """, [cid, cid])
                    if needed.isEmpty { gone.insert(cid) }
                }
            }
            // Removed uploads older than a day count for no quota any more.
            try await db.execute("DELETE FROM nft_upload WHERE removed_at IS NOT NULL AND uploaded_at < ?", [date.timeIntervalSince1970 - 86_400])
            return gone.sorted()
        }
    }

    public func tokenMetadata(_ tokens: [Address]) async throws(StoreError) -> [Address: TokenMetadata] {
        guard !tokens.isEmpty else { return [:] }
        let marks = Store.placeholders(tokens.count)
        var found: [Address: TokenMetadata] = [:]
        for row in try await rows("SELECT \(TokenMetadata.Columns.selection()) FROM token_metadata WHERE address IN (\(marks))", tokens) {
            let metadata = try TokenMetadata(row: row)
            found[metadata.address] = metadata
        }
        return found
    }

    public func saveTokenMetadata(_ metadata: [TokenMetadata]) async throws(StoreError) {
        guard !metadata.isEmpty else { return }
        try await transaction { (db: Transaction) async throws(StoreError) in
            for token in metadata {
                try await db.execute("""
                    INSERT INTO token_metadata (\(TokenMetadata.Columns.selection())) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (address) DO UPDATE SET name = excluded.name, symbol = excluded.symbol, decimals = excluded.decimals,
                        read_at = excluded.read_at
                    """, [token.address, token.name, token.symbol, token.decimals, token.readAt.timeIntervalSince1970])
            }
        }
    }

    public func tokensSeen(by address: Address, limit: Int) async throws(StoreError) -> [Address] {
        var seen: [Address] = []
        for row in try await rows("""
            SELECT token_address, max(block) AS last FROM activity
            WHERE address = ? AND type = 'token_transfer' AND token_address IS NOT NULL
            GROUP BY token_address ORDER BY last DESC, token_address COLLATE "C" LIMIT ?
            """, [address, limit]) {
            seen.append(try row.value(Store.SeenColumns.tokenAddress))
        }
        return seen
    }

    public func addedTokens(of address: Address) async throws(StoreError) -> [Address] {
        var added: [Address] = []
        for row in try await rows("SELECT token FROM added_token WHERE address = ? ORDER BY added_at, token COLLATE \"C\"", [address]) {
            added.append(try row.value(Store.AddedColumns.token))
        }
        return added
    }

    public func addToken(_ token: Address, for address: Address, limit: Int, at date: Date) async throws(StoreError) -> Bool {
        try await transaction { (db: Transaction) async throws(StoreError) in
            // Two hosts adding at once: the count is taken under a lock on the address.
            try await db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", ["added_token:" + address.lowercased])
            if try await !db.rows("SELECT 1 FROM added_token WHERE address = ? AND token = ?", [address, token]).isEmpty { return true }
            let count: Int64 = try await db.rows("SELECT count(*) FROM added_token WHERE address = ?", [address]).first?[0] ?? 0
            guard count < limit else { return false }
            try await db.execute("INSERT INTO added_token (address, token, added_at) VALUES (?, ?, ?)", [address, token, date.timeIntervalSince1970])
            return true
        }
    }

    @discardableResult
    public func removeToken(_ token: Address, for address: Address) async throws(StoreError) -> Bool {
        try await execute("DELETE FROM added_token WHERE address = ? AND token = ?", [address, token]) > 0
    }

    public func latestApprovals(of owner: Address, limit: Int) async throws(StoreError) -> [TokenApproval] {
        var approvals: [TokenApproval] = []
        for row in try await rows("""
            SELECT \(TokenApproval.Columns.selection(from: "a")) FROM token_approval a
            WHERE a.owner = ? AND NOT EXISTS (
                SELECT 1 FROM token_approval b WHERE b.owner = a.owner AND b.token = a.token AND b.spender = a.spender
                  AND (b.block > a.block OR (b.block = a.block AND b.log_index > a.log_index)))
            ORDER BY a.block DESC, a.log_index DESC LIMIT ?
            """, [owner, limit]) {
            approvals.append(try TokenApproval(row: row))
        }
        return approvals
    }
}
