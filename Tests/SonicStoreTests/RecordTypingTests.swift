import Ethereum
import Foundation
import GRDB
import Testing
@testable import SonicStore

/// Records hold typed values, stored as the same text as before they were typed; a stored value
/// that does not convert is an error naming its table and column, never a default.
@Suite struct RecordTypingTests {
    let store: Store
    static let alice = try! Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    static let token = try! Address("0x5FbDB2315678afecb367f032d93F642f64180aa3")

    init() throws {
        store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString).sqlite").path)
    }

    @Test func valuesRoundTripAsTheTextStoredBefore() throws {
        let hash = Hash32.keccak([1, 2, 3])
        let big = try UInt256(parsing: "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        // The text SQLite holds: lower-case hex, decimal digits.
        #expect(Self.alice.databaseValue == "0x70997970c51812dc3a010c7d01b50e0d17dc79c8".databaseValue)
        #expect(hash.databaseValue == hash.description.lowercased().databaseValue)
        #expect(big.databaseValue == "115792089237316195423570985008687907853269984665640564039457584007913129639935".databaseValue)
        #expect(Address.fromDatabaseValue(Self.alice.databaseValue) == Self.alice)
        #expect(Hash32.fromDatabaseValue(hash.databaseValue) == hash)
        #expect(UInt256.fromDatabaseValue(big.databaseValue) == big)
        // What is not one of them does not convert.
        let refused: [(String, DatabaseValue)] = [("address", "0x1234".databaseValue), ("address", 5.databaseValue),
                                                  ("hash", "0xzz".databaseValue), ("amount", "0x10".databaseValue), ("amount", "1.5".databaseValue)]
        for (kind, value) in refused {
            switch kind {
            case "address": #expect(Address.fromDatabaseValue(value) == nil, "\(value)")
            case "hash": #expect(Hash32.fromDatabaseValue(value) == nil, "\(value)")
            default: #expect(UInt256.fromDatabaseValue(value) == nil, "\(value)")
            }
        }
    }

    @Test func aStoredRowKeepsItsExactText() throws {
        let hash = Hash32.keccak([7])
        try store.track(TrackedTransaction(hash: hash, sender: Self.alice, nonce: 3))
        var tracked = try #require(try store.trackedTransaction(hash))
        tracked.state = .confirmed
        tracked.feeWei = 21_000_000_000_000
        try store.update(tracked)
        let row = try #require(try store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT hash, sender, state, fee_wei FROM tracked_transaction")
        })
        #expect(row["hash"] as String == hash.description && row["sender"] as String == "0x70997970c51812dc3a010c7d01b50e0d17dc79c8")
        #expect(row["state"] as String == "confirmed" && row["fee_wei"] as String == "21000000000000")
        #expect(try store.trackedCounts() == [.confirmed: 1])
    }

    @Test func aCorruptRowIsAnErrorNamingTableAndColumn() throws {
        let hash = Hash32.keccak([9])
        try store.track(TrackedTransaction(hash: hash, sender: nil, nonce: nil))
        try store.pool.write { db in try db.execute(sql: "UPDATE tracked_transaction SET state = 'lost'") }
        #expect(throws: StoreError.corruptValue(table: "tracked_transaction", column: "state", value: "\"lost\"", expected: "State")) {
            try store.trackedTransaction(hash)
        }
        #expect(throws: StoreError.self) { try store.trackedCounts() }

        try write([entry(block: 1)])
        try store.pool.write { db in try db.execute(sql: "UPDATE activity SET counterparty = '0xnot-an-address'") }
        #expect(throws: StoreError.corruptValue(table: "activity", column: "counterparty", value: "\"0xnot-an-address\"", expected: "Address")) {
            try store.history(HistoryQuery(address: Self.alice))
        }
    }

    @Test func historyFiltersByTokenSymbolOrAddress() throws {
        var tokenEntry = entry(block: 2)
        tokenEntry.kind = .tokenTransfer
        tokenEntry.tokenSymbol = "SUSD"
        tokenEntry.tokenAddress = Self.token
        try write([entry(block: 1), tokenEntry])
        #expect(try store.history(HistoryQuery(address: Self.alice, token: .symbol("susd"))).map(\.block) == [2])
        #expect(try store.history(HistoryQuery(address: Self.alice, token: .symbol("S"))).map(\.block) == [1])
        #expect(try store.history(HistoryQuery(address: Self.alice, token: .address(Self.token))).map(\.block) == [2])
        #expect(try store.history(HistoryQuery(address: Self.alice, token: .address(Self.alice))).isEmpty)
        let read = try #require(try store.history(HistoryQuery(address: Self.alice, token: .address(Self.token))).first)
        #expect(read == tokenEntry)
    }

    func entry(block: UInt64) -> ActivityEntry {
        ActivityEntry(address: Self.alice, block: block, txIndex: 0, seq: -1, hash: .keccak([UInt8(block)]), time: 1_700_000_000, kind: .transfer,
                      direction: .incoming, counterparty: Self.token, amountWei: 1_500, tokenSymbol: "S", tokenDecimals: 18,
                      feeWei: 21, status: .confirmed)
    }

    func write(_ entries: [ActivityEntry]) throws {
        var batch = IndexBatch(chainHead: 10)
        batch.entries = entries
        try store.apply(batch, chainID: 1, at: Date())
    }
}
