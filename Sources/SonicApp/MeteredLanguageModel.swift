import Foundation

/// Who is asking the agent, for the language model's daily allowance. The API sets it around
/// one request's call of the agent (a task-local value, so the agent's code need not carry it).
public struct ModelCaller: Sendable {
    /// `address:0x…` when signed in, else `ip:…`.
    public let key: String
    /// Subscribers get four times the allowance.
    public let weight: Double

    public init(key: String, weight: Double) {
        self.key = key
        self.weight = weight
    }

    @TaskLocal public static var current: ModelCaller?
}

/// A language model whose calls are counted per caller and day: each costs money, so past
/// `SONIC_LLM_CALLS_PER_DAY` (four times that for subscribers) the agent refuses with 429
/// rather than call it.
struct MeteredLanguageModel: LanguageModel {
    let model: any LanguageModel
    /// Buckets of `SONIC_LLM_CALLS_PER_DAY` calls a day.
    let calls: RateLimiter
    let clock: any TimeSource

    var name: String { model.name }

    func interpret(_ message: String) async throws(LanguageModelError) -> ModelAnswer {
        let caller = ModelCaller.current ?? ModelCaller(key: "unknown", weight: 1)
        if let wait = calls.take(caller.key, weight: caller.weight, now: clock.now().timeIntervalSince1970) {
            let allowed = Int(Double(calls.limit) * caller.weight)
            let seconds = Int(wait.rounded(.up))
            throw .allowanceUsedUp(.rateLimited(retryAfter: seconds, detail:
                "the agent's language model answers at most \(allowed) messages a day for you (four times that with premium); "
                + "used up, try again in \(Self.duration(seconds)) or write the request plainly, e.g. \"send 1 S to 0x…\""))
        }
        return try await model.interpret(message)
    }

    /// `3 h`, `12 min` or `40 s`: how long to wait, as a person says it.
    static func duration(_ seconds: Int) -> String {
        seconds >= 3_600 ? "\((seconds + 3_599) / 3_600) h" : seconds >= 60 ? "\((seconds + 59) / 60) min" : "\(seconds) s"
    }
}
