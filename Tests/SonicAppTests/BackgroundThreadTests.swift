import Foundation
import SonicConfig
import Synchronization
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

    @Test func aStoppedSweeperNoLongerExpiresWaiters() {
        let lot = ParkingLot()
        lot.startSweeper(interval: 0.001)
        lot.stopSweeper()
        let answered = Mutex(false)
        lot.park("0xab", until: Date().addingTimeInterval(-1)) { _ in answered.withLock { $0 = true } }
        // Nothing sweeps now: the waiter is still there until someone expires it by hand.
        #expect(lot.count == 1 && !answered.withLock { $0 })
        lot.expire()
        #expect(lot.count == 0 && answered.withLock { $0 })
    }
}
