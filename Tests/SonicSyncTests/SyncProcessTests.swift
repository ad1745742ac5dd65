import Ethereum
import Foundation
import Logging
import SonicConfig
import Testing
@testable import SonicSync

/// sonic-sync's process against the devnet the Swift suites run: one per database, indexing to
/// the head over JSON-RPC.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"] != nil))
struct SyncProcessTests {
    @Test func oneIndexerPerDatabaseFollowsTheDevnetToItsHead() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)").path
        let configuration = try Configuration(environment: [
            "SONIC_RPC_URLS": ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"]!, "SONIC_DB_PATH": "\(folder)/sonic.sqlite",
            "SONIC_DEPLOYMENTS_DIR": folder, "SONIC_INDEX_ALL": "1", "SONIC_WATCH_ADDRESSES": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        ])
        let sync = try SyncProcess(configuration: configuration, logger: Logger(label: "test"))
        // A second indexer of the same database is refused while the first holds the lock.
        #expect(throws: WriterLockError.self) { try SyncProcess(configuration: configuration, logger: Logger(label: "test")) }
        // Reading alone (status, backfill) needs no lock.
        #expect(try SyncProcess(configuration: configuration, logger: Logger(label: "test"), takeLock: false).settings == configuration)

        var options = SyncLoop.Options()
        options.once = true
        let loop = SyncLoop(options: options, logger: Logger(label: "test"), step: sync.indexer.step, idle: sync.backfillOne) { _ in false }
        guard case .caughtUp(let indexed) = try loop.run() else { Issue.record("a run with once ends caught up"); return }
        let state = try #require(try await sync.store.indexerState(chainID: 31337))
        #expect(indexed == state.indexed && state.indexed >= 0 && state.lag == 0)
        #expect(try await sync.store.watchedAddresses().all.contains(try Address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8")))
        sync.backfillOne()  // no Etherscan key: nothing to do, nothing thrown
    }
}
