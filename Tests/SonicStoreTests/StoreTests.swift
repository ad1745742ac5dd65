import Ethereum
import Foundation
import GRDB
import Synchronization
import Testing
@testable import SonicStore

@Suite struct StoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)").path

    @Test func createsTheFileInWALModeWithEveryMigration() throws {
        let store = try Store(path: "\(directory)/sub/sonic.sqlite")
        try store.ping()
        #expect(FileManager.default.fileExists(atPath: "\(directory)/sub/sonic.sqlite"))
        #expect(try store.appliedMigrations() == ["v1-cache", "v2-sync-state", "v3-tracked-transactions", "v4-auth", "v5-agent", "v6-history", "v7-tracked-change-log", "v8-tracked-unknown", "v9-nft-uploads", "v10-retention", "v11-address-change-log", "v12-alerts", "v13-tokens", "v14-alert-start", "v15-activity-staking", "v16-replaced-transactions", "v17-content", "v18-role-fence"])
        let mode = try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func openersOfANewDatabaseAtOnceAllSucceed() throws {
        // sonic-fcgi and sonic-sync start together and both migrate: one must wait for the other.
        // Threads stand in for the processes: each opens the lock file itself, and flock locks
        // open files, so they exclude each other as processes do.
        for round in 0..<5 {
            let path = "\(directory)/together-\(round).sqlite"
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do { _ = try Store(path: path) } catch { failures.withLock { $0.append("\(error)") } }
            }
            #expect(failures.withLock { $0 } == [])
            #expect(try Store(path: path).appliedMigrations() == Migrations.migrator.migrations)
        }
    }

    @Test func indexerPositionSurvivesReopening() throws {
        let path = "\(directory)/sonic.sqlite"
        do {
            let store = try Store(path: path)
            #expect(try store.indexerState(chainID: 31337) == nil)
            var batch = IndexBatch(chainHead: 45)
            batch.blocks = [IndexedBlock(number: 41, hash: .keccak([41]), parentHash: .keccak([40]), timestamp: 1),
                            IndexedBlock(number: 42, hash: .keccak([42]), parentHash: .keccak([41]), timestamp: 2)]
            try store.apply(batch, chainID: 31337, at: Date(timeIntervalSince1970: 2_000))
        }
        let reopened = try Store(path: path)
        #expect(try reopened.indexerState(chainID: 31337)
                == IndexerState(indexed: 42, chainHead: 45, blocksTotal: 2, updatedAt: Date(timeIntervalSince1970: 2_000)))
        #expect(try reopened.indexerState(chainID: 31337)?.lag == 3)
        #expect(try reopened.indexerState(chainID: 146) == nil)
    }

    @Test func unopenableFileIsAnErrorNamingIt() {
        #expect {
            _ = try Store(path: "/dev/null/sonic.sqlite")
        } throws: { error in
            "\(error)".contains("/dev/null/sonic.sqlite")
        }
    }
}
