import Ethereum
import Foundation
import Testing
@testable import SonicStore

/// Conversations, cached reads and settled tracked transactions are removed by age; pending
/// transactions are not (the watcher settles or drops them) (issue 18).
@Suite struct RetentionTests {
    @Test func oldRowsGoAndPendingTransactionsStay() throws {
        let store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("retention-\(UUID().uuidString).sqlite").path)
        let now = Date()
        try store.saveConversation("c1", address: nil, state: "{}")
        try store.cache("balance:old", [1], at: now.addingTimeInterval(-100))
        try store.cache("balance:new", [2], at: now)
        let (settled, pending, recent) = (Hash32.keccak([1]), Hash32.keccak([2]), Hash32.keccak([3]))
        for hash in [settled, pending, recent] {
            try store.track(TrackedTransaction(hash: hash, sender: nil, nonce: nil, createdAt: now.addingTimeInterval(-100), updatedAt: now.addingTimeInterval(-100)))
        }
        for (hash, time) in [(settled, now.addingTimeInterval(-100)), (recent, now)] {
            var final = try #require(try store.trackedTransaction(hash))
            final.state = .confirmed
            final.updatedAt = time
            try store.update(final)
        }
        let cutoff = now.addingTimeInterval(-50)
        #expect(try store.trim(conversationsBefore: cutoff, cacheBefore: cutoff, trackedBefore: cutoff) == Trimmed(cached: 1, trackedTransactions: 1))
        #expect(try store.cached("balance:old") == nil && store.cached("balance:new") != nil)
        #expect(try store.trackedTransaction(settled) == nil && store.trackedTransaction(pending)?.state == .pending)
        #expect(try store.trackedTransaction(recent)?.state == .confirmed && store.conversationState("c1", address: nil) == "{}")
        #expect(try store.trim(conversationsBefore: now.addingTimeInterval(60), cacheBefore: cutoff, trackedBefore: cutoff) == Trimmed(conversations: 1))
        #expect(try store.conversationState("c1", address: nil) == nil)
    }
}
