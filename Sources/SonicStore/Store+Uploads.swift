import Ethereum
import Foundation
import GRDB

/// An NFT upload (an image and its metadata, stored by content) by a signed-in address.
public struct NFTUpload: Sendable, Equatable {
    public var address: Address
    public var metadataCID: String
    public var imageCID: String
    /// Image and metadata together.
    public var bytes: Int
    public var uploadedAt: Date

    public init(address: Address, metadataCID: String, imageCID: String, bytes: Int, uploadedAt: Date) {
        self.address = address
        self.metadataCID = metadataCID
        self.imageCID = imageCID
        self.bytes = bytes
        self.uploadedAt = uploadedAt
    }
}

/// What an address uploaded within a window: how many, how many bytes, and when the oldest was.
public struct UploadUsage: Sendable, Equatable {
    public var count: Int
    public var bytes: Int
    public var oldest: Date?
}

extension Store {
    /// What `address` uploaded since `since`.
    public func uploadUsage(of address: Address, since: Date) throws(StoreError) -> UploadUsage {
        try read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*), coalesce(sum(bytes), 0), min(uploaded_at) FROM nft_upload WHERE address = ? AND uploaded_at >= ?
                """, arguments: [address, since.timeIntervalSince1970])
            return UploadUsage(count: row?[0] ?? 0, bytes: row?[1] ?? 0, oldest: (row?[2] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// Records an upload; the same content uploaded again by the same address is one upload, at its latest time.
    public func recordUpload(_ upload: NFTUpload) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO nft_upload (address, metadata_cid, image_cid, bytes, uploaded_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (address, metadata_cid) DO UPDATE SET uploaded_at = excluded.uploaded_at, removed_at = NULL
                """, arguments: [upload.address, upload.metadataCID, upload.imageCID, upload.bytes, upload.uploadedAt.timeIntervalSince1970])
        }
    }

    /// Marks as minted the uploads whose metadata a mint in `contract` (any contract when nil)
    /// names as its token URI (`ipfs://<metadata CID>`), as the indexer recorded it; returns how many.
    @discardableResult
    public func markMintedUploads(contract: Address?, at date: Date) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: """
                UPDATE nft_upload SET minted_at = ? WHERE minted_at IS NULL AND EXISTS (
                    SELECT 1 FROM nft_transfer WHERE token_uri = 'ipfs://' || nft_upload.metadata_cid
                        AND sender = '0x0000000000000000000000000000000000000000' AND (? IS NULL OR contract = ?))
                """, arguments: [date.timeIntervalSince1970, contract, contract])
            return db.changesCount
        }
    }

    /// Minted content not yet pinned to the paid services (nor waiting to be tried again after
    /// `now`): each once, as (metadata CID, image CID), at most `limit`.
    public func uploadsToPin(at now: Date, limit: Int) throws(StoreError) -> [(metadataCID: String, imageCID: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT metadata_cid, image_cid FROM nft_upload
                WHERE minted_at IS NOT NULL AND pinned_at IS NULL AND (pin_retry_at IS NULL OR pin_retry_at <= ?) LIMIT ?
                """, arguments: [now.timeIntervalSince1970, limit]).map { (metadataCID: $0[0], imageCID: $0[1]) }
        }
    }

    /// Records that the content under `metadataCID` was pinned, or (with `retryAt`) that pinning
    /// failed and is tried again then.
    public func recordPinning(_ metadataCID: String, at date: Date, retryAt: Date? = nil) throws(StoreError) {
        try write { db in
            if let retryAt {
                try db.execute(sql: "UPDATE nft_upload SET pin_retry_at = ? WHERE metadata_cid = ?", arguments: [retryAt.timeIntervalSince1970, metadataCID])
            } else {
                try db.execute(sql: "UPDATE nft_upload SET pinned_at = ? WHERE metadata_cid = ?", arguments: [date.timeIntervalSince1970, metadataCID])
            }
        }
    }

    /// The content (metadata and image CIDs) of uploads never minted and last uploaded before
    /// `cutoff` that no other upload still needs (minted, or newer than `cutoff`); marks those
    /// uploads removed. The caller deletes the content itself.
    public func expireUnmintedUploads(before cutoff: Date, at date: Date) throws(StoreError) -> [String] {
        try write { db in
            let stale = try Row.fetchAll(db, sql: """
                SELECT metadata_cid, image_cid FROM nft_upload WHERE minted_at IS NULL AND removed_at IS NULL AND uploaded_at < ?
                """, arguments: [cutoff.timeIntervalSince1970])
            var gone: Set<String> = []
            for row in stale {
                let (metadata, image): (String, String) = (row[0], row[1])
                try db.execute(sql: "UPDATE nft_upload SET removed_at = ? WHERE metadata_cid = ? AND minted_at IS NULL AND uploaded_at < ?",
                               arguments: [date.timeIntervalSince1970, metadata, cutoff.timeIntervalSince1970])
                for cid in [metadata, image] {
                    let needed = try Bool.fetchOne(db, sql: """
                        SELECT 1 FROM nft_upload WHERE (metadata_cid = ? OR image_cid = ?) AND (minted_at IS NOT NULL OR removed_at IS NULL) LIMIT 1
                        """, arguments: [cid, cid]) ?? false
                    if !needed { gone.insert(cid) }
                }
            }
            // Removed uploads older than a day count for no quota any more.
            try db.execute(sql: "DELETE FROM nft_upload WHERE removed_at IS NOT NULL AND uploaded_at < ?",
                           arguments: [date.timeIntervalSince1970 - 86_400])
            return gone.sorted()
        }
    }
}
