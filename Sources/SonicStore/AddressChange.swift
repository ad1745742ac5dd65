import Ethereum
import Foundation
import GRDB

/// One entry of the per-address change log: something happened to `address`. Numbered in
/// commit order by any process, as the tracked transactions' log is: the dashboard's live feed
/// waits for the entries after the last one it saw.
public struct AddressChange: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable, DatabaseValueConvertible {
        /// The indexer recorded activity of the address in transaction `hash`, or removed it (a reorganisation).
        case activity
        /// A tracked transaction the address sent (`hash`) changed state.
        case transaction
        /// One of the address's alerts went off (no hash).
        case alert
    }

    public let seq: Int64
    public let address: Address
    public let kind: Kind
    public let hash: Hash32?

    public init(seq: Int64, address: Address, kind: Kind, hash: Hash32?) {
        self.seq = seq
        self.address = address
        self.kind = kind
        self.hash = hash
    }

    enum Columns: Int, TableColumns {
        case seq, address, kind, hash
        static let table = "address_change"
    }

    init(row: some StoredRow) throws(StoreError) {
        self.init(seq: try row.value(Columns.seq), address: try row.value(Columns.address), kind: try row.value(Columns.kind),
                  hash: try row.optional(Columns.hash))
    }
}

/// The per-address change log, read by the live feed (`AddressFeed`); written by triggers.
public protocol AddressChangeRepository: Repository {
    /// The number of the newest entry (0 before any).
    func lastAddressChange() async throws(StoreError) -> Int64
    /// Up to `limit` entries after `seq`, oldest first, for every address.
    func addressChanges(after seq: Int64, limit: Int) async throws(StoreError) -> [AddressChange]
    /// Up to `limit` entries of `address` after `seq`, oldest first.
    func addressChanges(of address: Address, after seq: Int64, limit: Int) async throws(StoreError) -> [AddressChange]
}

extension Store: AddressChangeRepository {
    /// Entries kept in the per-address change log (older ones are removed as new ones come).
    public static let addressChangesKept = 100_000

    public func lastAddressChange() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM address_change") ?? 0 }
    }

    public func addressChanges(after seq: Int64, limit: Int) throws(StoreError) -> [AddressChange] {
        try changes(sql: "SELECT \(AddressChange.Columns.selection()) FROM address_change WHERE seq > ? ORDER BY seq LIMIT ?",
                    arguments: [seq, limit])
    }

    public func addressChanges(of address: Address, after seq: Int64, limit: Int) throws(StoreError) -> [AddressChange] {
        try changes(sql: """
            SELECT \(AddressChange.Columns.selection()) FROM address_change WHERE address = ? AND seq > ? ORDER BY seq LIMIT ?
            """, arguments: [address, seq, limit])
    }

    private func changes(sql: String, arguments: StatementArguments) throws(StoreError) -> [AddressChange] {
        let rows = try read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        var changes: [AddressChange] = []
        changes.reserveCapacity(rows.count)
        for row in rows { changes.append(try AddressChange(row: row)) }
        return changes
    }
}
