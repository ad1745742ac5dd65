import TestSupport
import Testing

/// Runs each test of a suite on `QueueExecutor`, not on Swift's global pool: that pool has a
/// thread per core, which other suites' blocking waits (and these suites' `eventually`) may hold
/// for seconds, and a test that measures time must not wait for a thread to resume it.
struct OnQueueExecutor: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(QueueExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OnQueueExecutor {
    static var onQueueExecutor: Self { OnQueueExecutor() }
}
