import Foundation
import SonicConfig
import TestSupport
import Testing
@testable import SonicApp

@Suite struct BackgroundThreadTests {
    static let names: Set = ["tx-watcher", "tx-change-feed", "parking-sweeper"]

    /// How many of this process's threads have one of `names`.
    static func running() -> Int { threadNames().filter(names.contains).count }

    /// `App.stop()` ends and joins the watcher's two threads and the long-poll sweeper.
    @Test func stopLeavesNoThreadBehind() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("threads-\(UUID().uuidString).sqlite").path
        let app = App(configuration: try Configuration(environment: ["SONIC_RPC_URLS": "http://127.0.0.1:9", "SONIC_DB_PATH": path]))
        let before = Self.running()
        app.start()
        // A new thread names itself once it runs: poll, with a deadline.
        #expect(eventually { Self.running() == before + 3 })
        app.stop()
        // Each has signalled its end; the kernel lists it until it has returned.
        #expect(eventually { Self.running() == before })
    }
}
