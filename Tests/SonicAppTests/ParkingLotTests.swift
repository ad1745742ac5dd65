import Foundation
import SonicConfig
import SonicHTTP
import Synchronization
import Testing
@testable import SonicApp

@Suite struct ParkingLotTests {
    /// What the waiters were answered with, in order: "key:value", or "key:timeout".
    final class Answers: Sendable {
        let list = Mutex<[String]>([])
        var all: [String] { list.withLock { $0 } }
    }

    func park(_ lot: ParkingLot, _ key: String, in seconds: Double, from now: Date, into answers: Answers) {
        lot.park(key, until: now.addingTimeInterval(seconds)) { value in
            answers.list.withLock { $0.append("\(key):\(value.map { "\($0)" } ?? "timeout")") }
        }
    }

    @Test func waitersAreAnsweredOnceAtTheirDeadlineOrWhenWoken() {
        let lot = ParkingLot()
        let answers = Answers()
        let now = Date()
        park(lot, "late", in: 30, from: now, into: answers)
        park(lot, "soon", in: 10, from: now, into: answers)
        park(lot, "woken", in: 5, from: now, into: answers)
        #expect(lot.wake([(key: "woken", value: "confirmed")]) == 1)
        lot.expire(now: now.addingTimeInterval(6))
        #expect(answers.all == ["woken:confirmed"])
        lot.expire(now: now.addingTimeInterval(11))
        #expect(answers.all == ["woken:confirmed", "soon:timeout"])
        // Parked later with an earlier deadline than any left: still answered on time.
        park(lot, "later", in: 12, from: now, into: answers)
        lot.expire(now: now.addingTimeInterval(13))
        #expect(answers.all == ["woken:confirmed", "soon:timeout", "later:timeout"])
        #expect(lot.count == 1)
        lot.wakeAll()
        lot.expire(now: now.addingTimeInterval(60))
        #expect(answers.all == ["woken:confirmed", "soon:timeout", "later:timeout", "late:timeout"])
        #expect(lot.count == 0)
    }

    @Test func aClientMayHaveOnlyItsShareWaitingAndEveryAnswerFreesAPlace() {
        let lot = ParkingLot(perClient: 2)
        let now = Date()
        #expect(lot.park("a", client: "ip:1", until: now.addingTimeInterval(5)) { _ in })
        #expect(lot.park("b", client: "ip:1", until: now.addingTimeInterval(30)) { _ in })
        #expect(!lot.park("c", client: "ip:1", until: now.addingTimeInterval(30)) { _ in })
        #expect(lot.park("c", client: "ip:2", until: now.addingTimeInterval(30)) { _ in })
        lot.expire(now: now.addingTimeInterval(6))  // "a" timed out
        #expect(lot.count(of: "ip:1") == 1 && lot.park("c", client: "ip:1", until: now.addingTimeInterval(30)) { _ in })
        lot.wake("c")
        #expect(lot.count(of: "ip:1") == 1 && lot.count(of: "ip:2") == 0)
        lot.wakeAll()
        #expect(lot.count == 0 && lot.count(of: "ip:1") == 0)
    }
}
