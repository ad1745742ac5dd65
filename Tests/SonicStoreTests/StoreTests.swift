import Foundation
import GRDB
import Testing
@testable import SonicStore

@Suite struct StoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)").path

    @Test func createsTheFileInWALModeWithEveryMigration() throws {
        let store = try Store(path: "\(directory)/sub/sonic.sqlite")
        try store.ping()
        #expect(FileManager.default.fileExists(atPath: "\(directory)/sub/sonic.sqlite"))
        #expect(try store.appliedMigrations() == ["v1-cache", "v2-sync-state", "v3-tracked-transactions", "v4-auth", "v5-agent"])
        let mode = try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func syncStateSurvivesReopening() throws {
        let path = "\(directory)/sonic.sqlite"
        do {
            let store = try Store(path: path)
            #expect(try store.syncState(chainID: 31337) == nil)
            try store.saveSyncState(chainID: 31337, head: 41, at: Date(timeIntervalSince1970: 1_000))
            try store.saveSyncState(chainID: 31337, head: 42, at: Date(timeIntervalSince1970: 2_000))
        }
        let reopened = try Store(path: path)
        #expect(try reopened.syncState(chainID: 31337) == SyncState(chainID: 31337, head: 42, updatedAt: Date(timeIntervalSince1970: 2_000)))
        #expect(try reopened.syncState(chainID: 146) == nil)
    }

    @Test func unopenableFileIsAnErrorNamingIt() {
        #expect {
            _ = try Store(path: "/dev/null/sonic.sqlite")
        } throws: { error in
            "\(error)".contains("/dev/null/sonic.sqlite")
        }
    }
}
