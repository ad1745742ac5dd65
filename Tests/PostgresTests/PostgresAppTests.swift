import Ethereum
import Foundation
import Logging
import Postgres
import SonicAPI
import SonicApp
import SonicConfig
import SonicHTTP
import SonicStore
import SonicSync
import TestSupport
import Testing

/// `SONIC_DATABASE_URL`: sonic-fcgi's services and sonic-sync on PostgreSQL instead of the
/// SQLite file. The indexer writes the devnet's chain there, the API reads history and health
/// from it, and a second sonic-sync waits as a standby while the first indexes.
@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable && ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"] != nil,
                                                  "needs SONIC_TEST_DATABASE_URL and SONIC_TEST_RPC_URL: scripts/run-tests.sh swift starts both"))
struct PostgresAppTests {
    @Test func theAppAndTheIndexerShareOnePostgresDatabase() async throws {
        let (name, admin) = try await PostgresSchemaTests.freshDatabase("app")
        admin.stop()
        let folder = try PostgresCopyTests.scratchFolder("app")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = [
            "SONIC_DATABASE_URL": TestDatabase.url(database: name), "SONIC_DB_PATH": folder + "/unused.sqlite",
            "SONIC_RPC_URLS": ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"]!, "SONIC_DEPLOYMENTS_DIR": folder,
            "SONIC_INDEX_ALL": "1", "SONIC_RATE_LIMIT_PER_MINUTE": "0", "SONIC_KNOWLEDGE_DIR": folder, "SONIC_FCGI_THREADS": "2",
        ]
        let configuration = try Configuration(environment: environment)

        // The indexer, on PostgreSQL; a second one waits as a standby (here: gives up at once).
        let sync = try SyncProcess(configuration: configuration, logger: Logger(label: "test"))
        #expect(throws: SyncStandbyEnded.self) {
            try SyncProcess(configuration: configuration, logger: Logger(label: "test"), standbyInterval: 0.01, stillWanted: { false })
        }
        var options = SyncLoop.Options()
        options.once = true
        let loop = SyncLoop(options: options, logger: Logger(label: "test"), step: sync.indexer.step) { _ in false }
        guard case .caughtUp(let indexed) = try loop.run() else { Issue.record("a run with once ends caught up"); return }
        #expect(!FileManager.default.fileExists(atPath: folder + "/unused.sqlite"), "no SQLite file is made")

        // The API on the same database: health, what the indexer wrote, /metrics.
        let app = App(configuration: configuration)
        defer { app.stop() }
        #expect(app.store == nil && app.database is PostgresStore)
        let api = API(app: app)
        let health = api.handle(Request(method: .get, path: "/api/health"))
        #expect(String(decoding: health.body, as: UTF8.self).contains("\"database\":\"ok\""))
        let metrics = String(decoding: api.handle(Request(method: .get, path: "/metrics")).body, as: UTF8.self)
        #expect(metrics.contains("sync_head \(Double(indexed ?? 0))") || metrics.contains("sync_head \(indexed ?? 0)"))
        let deployer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        let history = api.handle(Request(method: .get, path: "/api/history/\(deployer)"))
        #expect(history.status == 200)

        // A standby takes over once the active indexer stops.
        sync.close()
        let next = try SyncProcess(configuration: configuration, logger: Logger(label: "test"), standbyInterval: 0.05)
        next.close()
        try await PostgresSchemaTests.drop(name)
    }
}
