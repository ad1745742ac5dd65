import Synchronization

/// Where a caller's answer meets the caller: the continuation once it waits, or the answer if
/// it came first (a call refused before its task suspended). Resumed exactly once.
final class PostgresReply<Value: Sendable>: Sendable {
    typealias Answer = Result<Value, PostgresError>
    private let state = Mutex<State>(.waiting(nil))

    private enum State {
        case waiting(CheckedContinuation<Answer, Never>?)
        case finished(Answer?)
    }

    func wait(_ continuation: CheckedContinuation<Answer, Never>) {
        let early: Answer? = state.withLock { state in
            guard case .finished(let answer) = state else {
                state = .waiting(continuation)
                return nil
            }
            state = .finished(nil)
            return answer
        }
        if let early { continuation.resume(returning: early) }
    }

    func finish(_ answer: Answer) {
        let continuation = state.withLock { state -> CheckedContinuation<Answer, Never>? in
            guard case .waiting(let continuation) = state else { return nil }
            state = .finished(continuation == nil ? answer : nil)
            return continuation
        }
        continuation?.resume(returning: answer)
    }
}
