import AppTestSupport
import Ethereum
import Foundation
import SonicStore
import Synchronization
import TestSupport
import Testing
@testable import SonicApp

/// A lookup watches an address for `SONIC_WATCH_SECONDS`, not for good: the watch it writes ends
/// then, and looking again renews it (written once per half of that per process).
@Suite struct WatchlistTests {
    /// The watches written, as (address, until).
    final class RecordingWatches: WatchRepository {
        let written = Mutex<[(Address, Date?)]>([])
        var answersOnTheSpot: Bool { true }
        func watch(_ address: Address, source: String, at date: Date, until expiresAt: Date?) async throws(StoreError) -> Bool {
            written.withLock { $0.append((address, expiresAt)) }
            return true
        }
        var untils: [Date?] { written.withLock { $0.map(\.1) } }
    }

    @Test func aLookupsWatchEndsAfterTheConfiguredTimeAndLookingAgainRenewsIt() {
        let clock = ManualClock(), watches = RecordingWatches()
        let start = clock.now()
        let watchlist = Watchlist(enabled: true, repository: watches, clock: clock, seconds: 3_600)
        watchlist.watch(TestServices.alice, source: "lookup")
        #expect(eventually { watches.untils.count == 1 })
        #expect(watches.untils == [start.addingTimeInterval(3_600)])
        // Within the first half of the watch, another lookup writes nothing.
        clock.advance(1_000)
        watchlist.watch(TestServices.alice, source: "lookup")
        usleep(50_000)
        #expect(watches.untils.count == 1)
        // Past it, the watch is renewed from now.
        clock.advance(1_000)
        watchlist.watch(TestServices.alice, source: "lookup")
        #expect(eventually { watches.untils.count == 2 })
        #expect(watches.untils.last == start.addingTimeInterval(2_000 + 3_600))
    }

    @Test func withEveryAddressIndexedNothingIsWatched() {
        let watches = RecordingWatches()
        Watchlist(enabled: false, repository: watches, clock: ManualClock(), seconds: 3_600).watch(TestServices.alice, source: "lookup")
        usleep(50_000)
        #expect(watches.untils.isEmpty)
    }
}
