import Dispatch
import Foundation

import Synchronization
import Testing
@testable import SonicApp

@Suite struct ReadCacheTests {
    @Test func aValueIsReusedWhileFreshAndFetchedAgainAfter() throws {
        let cache = ReadCache<Int>(ttl: 1)
        let fetches = Atomic<Int>(0)
        func read(at now: Double) throws(AppError) -> Int {
            try cache.value("network", now: now) { () throws(AppError) -> Int in fetches.add(1, ordering: .relaxed).newValue }
        }
        let first = try read(at: Date().timeIntervalSince1970)
        #expect(try read(at: Date().timeIntervalSince1970) == first)
        #expect(fetches.load(ordering: .relaxed) == 1)
        #expect(try read(at: Date().timeIntervalSince1970 + 2) == first + 1)
    }

    @Test func concurrentMissesMakeOneFetch() throws {
        let cache = ReadCache<String>(ttl: 5)
        let fetches = Atomic<Int>(0)
        let answers = Mutex<[String]>([])
        let started = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for _ in 0..<16 {
            DispatchQueue.global().async(group: group) {
                let answer = try? cache.value("status:0xabc") { () throws(AppError) -> String in
                    fetches.add(1, ordering: .relaxed)
                    started.signal()
                    // A slow node, the subject of this test rather than a wait: misses that
                    // overlap its call share it, late ones find the kept value.
                    Thread.sleep(forTimeInterval: 0.2)
                    return "active"
                }
                answers.withLock { $0.append(answer ?? "error") }
            }
        }
        started.wait()
        group.wait()
        #expect(answers.withLock { $0 } == Array(repeating: "active", count: 16))
        // Callers arriving after the flight ended find the kept value; none fetch again.
        #expect(fetches.load(ordering: .relaxed) == 1)
    }

    @Test func failuresAreNotKeptAndInvalidateForgets() throws {
        let cache = ReadCache<Int>(ttl: 60)
        #expect(throws: AppError.self) {
            try cache.value("fees") { () throws(AppError) -> Int in throw AppError.nodeUnavailable(detail: "down") }
        }
        #expect(try cache.value("fees") { () throws(AppError) -> Int in 7 } == 7)
        #expect(try cache.value("fees") { () throws(AppError) -> Int in 8 } == 7)
        cache.invalidate("fees")
        #expect(try cache.value("fees") { () throws(AppError) -> Int in 9 } == 9)
    }

    /// The pruning compares the wall clock at the time of storing (not the `now` a reader
    /// passes), so expiry is set by the TTL: with a TTL of 0 every entry has expired as soon
    /// as it is kept, with one of a minute none has.
    @Test(arguments: [(0.0, 1), (60.0, 4)])
    func pastItsCapacityExpiredEntriesAreDropped(ttl: Double, countAfter: Int) throws {
        let cache = ReadCache<Int>(ttl: ttl, capacity: 3)
        for (index, key) in ["a", "b", "c"].enumerated() {
            _ = try cache.value(key) { () throws(AppError) -> Int in index }
        }
        #expect(cache.count == 3)
        _ = try cache.value("d") { () throws(AppError) -> Int in 3 }
        #expect(cache.count == countAfter)
    }

}

@Suite struct ConcurrentlyTests {
    @Test func runsBothAtOnce() {
        // Each waits for the other to have started: run one after the other, the first would
        // time out and report false.
        let (one, two) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let (first, second) = concurrently(
            { () throws(AppError) -> Bool in one.signal(); return two.wait(timeout: .now() + 5) == .success },
            { () throws(AppError) -> Bool in two.signal(); return one.wait(timeout: .now() + 5) == .success })
        #expect((try? first.get()) == true)
        #expect((try? second.get()) == true)
    }
}
