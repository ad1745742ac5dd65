import Dispatch
import Foundation

import SonicChain
import Synchronization
import TestSupport
import Testing
@testable import SonicApp

@Suite struct ReadCacheTests {
    @Test func aValueIsReusedWhileFreshAndFetchedAgainAfter() async throws {
        let cache = ReadCache<Int>(ttl: 1)
        let fetches = Atomic<Int>(0)
        func read(at now: Double) async throws(AppError) -> Int {
            try await cache.value("network", now: now) { () async throws(AppError) -> Int in fetches.add(1, ordering: .relaxed).newValue }
        }
        let start = Date().timeIntervalSince1970
        let first = try await read(at: start)
        #expect(try await read(at: start + 0.5) == first)
        #expect(fetches.load(ordering: .relaxed) == 1)
        #expect(try await read(at: start + 2) == first + 1)
    }

    final class Counter: Sendable { let value = Atomic<Int>(0) }

    /// Sixteen requests on threads of their own, as the server's workers run them.
    @Test func concurrentMissesMakeOneFetch() async throws {
        let cache = ReadCache<String>(ttl: 5)
        let counter = Counter()
        let answers = Mutex<[String]>([])
        let done = DispatchGroup()
        for _ in 0..<16 {
            done.enter()
            Thread {
                let answer = ThreadExecutor.run {
                    (try? await cache.value("status:0xabc") { () async throws(AppError) -> String in
                        counter.value.add(1, ordering: .relaxed)
                        // A slow node: the fetch ends once the 15 others wait for it.
                        _ = eventually { cache.waiting("status:0xabc") == 15 }
                        return "active"
                    }) ?? "error"
                }
                answers.withLock { $0.append(answer) }
                done.leave()
            }.start()
        }
        #expect(eventually(within: 30) { done.wait(timeout: .now()) == .success })
        #expect(answers.withLock { $0 } == Array(repeating: "active", count: 16))
        #expect(counter.value.load(ordering: .relaxed) == 1)
    }

    @Test func failuresAreNotKeptAndInvalidateForgets() async throws {
        let cache = ReadCache<Int>(ttl: 60)
        await #expect(throws: AppError.self) {
            try await cache.value("fees") { () async throws(AppError) -> Int in throw AppError.nodeUnavailable(detail: "down") }
        }
        #expect(try await cache.value("fees") { () async throws(AppError) -> Int in 7 } == 7)
        #expect(try await cache.value("fees") { () async throws(AppError) -> Int in 8 } == 7)
        cache.invalidate("fees")
        #expect(try await cache.value("fees") { () async throws(AppError) -> Int in 9 } == 9)
    }

    @Test func pastItsCapacityExpiredEntriesAreDropped() async throws {
        let cache = ReadCache<Int>(ttl: 1, capacity: 3)
        let start = Date().timeIntervalSince1970
        for (index, key) in ["a", "b", "c"].enumerated() {
            _ = try await cache.value(key, now: start) { () async throws(AppError) -> Int in index }
        }
        #expect(cache.count == 3)
        // A second later all three have expired: storing a fourth drops them.
        _ = try await cache.value("d", now: start + 1.1) { () async throws(AppError) -> Int in 3 }
        #expect(cache.count == 1)
    }
}
