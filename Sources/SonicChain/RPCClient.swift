import Ethereum
import Foundation
import Synchronization

/// A JSON-RPC 2.0 client for one network's nodes.
///
/// Reads go to the healthiest endpoint and are retried on transport failures, timeouts and
/// 5xx/429 answers, with exponential backoff and jitter, moving to the next endpoint each time
/// (an endpoint that timed out is not asked again in the same call). An endpoint that failed
/// recently is tried last until `cooldown` has passed. Node errors (a
/// JSON-RPC error object) are answers, not outages: they are returned at once, a revert with
/// its reason decoded. Broadcasts have their own rules (`sendRawTransaction`).
public final class RPCClient: Sendable {
    public let endpoints: [String]
    public let metrics: RPCMetrics
    let transport: any HTTPClient
    let maxAttempts: Int
    let baseBackoff: Double
    let cooldown: Double
    private let health: Mutex<[String: Date]>  // endpoint → time of its last failure
    private let nextID = Atomic<Int>(1)

    /// - Parameters:
    ///   - endpoints: RPC URLs in order of preference; at least one.
    ///   - transport: the HTTP transport (timeouts, connection reuse): `HTTPTransport` holds the
    ///     calling thread while it waits, `CurlMultiTransport` does not.
    ///   - maxAttempts: tries for a read, across endpoints.
    ///   - baseBackoff: seconds before the second try; doubled each time, with jitter.
    public init(endpoints: [String], transport: any HTTPClient = HTTPTransport(), metrics: RPCMetrics = RPCMetrics(),
                maxAttempts: Int = 3, baseBackoff: Double = 0.05, cooldown: Double = 30) {
        precondition(!endpoints.isEmpty, "RPCClient needs at least one endpoint")
        self.endpoints = endpoints
        self.transport = transport
        self.metrics = metrics
        self.maxAttempts = max(1, maxAttempts)
        self.baseBackoff = baseBackoff
        self.cooldown = cooldown
        health = Mutex([:])
    }

    /// Endpoints in the order to try them: healthy ones first, in configured order.
    func orderedEndpoints() -> [String] {
        let now = Date()
        let failures = health.withLock { $0 }
        let healthy = endpoints.filter { failures[$0].map { now.timeIntervalSince($0) > cooldown } ?? true }
        return healthy + endpoints.filter { !healthy.contains($0) }
    }

    /// Whether every endpoint failed within the last `seconds` and none has answered since: the
    /// node is down, and callers with something to fall back on need not wait for it again.
    public func isUnreachable(within seconds: Double, now: Date = Date()) -> Bool {
        let failures = health.withLock { $0 }
        return endpoints.allSatisfy { endpoint in failures[endpoint].map { now.timeIntervalSince($0) < seconds } ?? false }
    }

    func markFailed(_ endpoint: String) { health.withLock { $0[endpoint] = Date() } }
    func markHealthy(_ endpoint: String) { health.withLock { _ = $0.removeValue(forKey: endpoint) } }

    /// Calls a read-only `method` and decodes its `result` as `Result`.
    /// - Throws: `ChainError` naming the endpoint and the method.
    public func call<Result: Decodable>(_ method: String, _ params: [JSONValue] = [], as type: Result.Type = Result.self)
        async throws(ChainError) -> Result
    {
        let body = try encode(Request(id: 1, method: method, params: params), method: method)
        return try await withRetries(body, method: method) { (data, endpoint) throws(ChainError) in
            try Self.decodeEnvelope(data, as: type, endpoint: endpoint, method: method)
        }
    }

    /// Calls `method` once per parameter list in one HTTP request (a JSON-RPC batch); each
    /// answer is decoded on its own, so one failed item does not fail the others.
    public func batch<Result: Decodable>(_ method: String, _ paramsList: [[JSONValue]], as type: Result.Type = Result.self)
        async throws(ChainError) -> [Swift.Result<Result, ChainError>]
    {
        try await batch(paramsList.map { (method: method, params: $0) }, as: type)
    }

    /// Several calls, of one or several methods whose results decode as `Result`, in one HTTP
    /// request; each answer is decoded on its own. Metrics name the methods joined by "+".
    public func batch<Result: Decodable>(_ calls: [(method: String, params: [JSONValue])], as type: Result.Type = Result.self)
        async throws(ChainError) -> [Swift.Result<Result, ChainError>]
    {
        guard !calls.isEmpty else { return [] }
        var methods: [String] = []
        for call in calls where !methods.contains(call.method) { methods.append(call.method) }
        let method = methods.joined(separator: "+")
        let requests = calls.enumerated().map { Request(id: $0.offset, method: $0.element.method, params: $0.element.params) }
        let body = try encode(requests, method: method)
        return try await withRetries(body, method: method) { (data, endpoint) throws(ChainError) in
            try Self.decodeBatch(data, count: requests.count, as: type, endpoint: endpoint, method: method)
        }
    }

    /// Sends a read to the endpoints in health order, retrying what may succeed elsewhere or
    /// later (transport failures, timeouts, 5xx and 429) with backoff; node errors end it.
    private func withRetries<Value>(_ body: [UInt8], method: String, decode: ([UInt8], String) throws(ChainError) -> Value)
        async throws(ChainError) -> Value
    {
        let order = orderedEndpoints()
        var lastError: ChainError?
        // An endpoint that timed out is not asked again in this call: a hung node would only
        // make the caller wait the timeout once more.
        var timedOut: Set<String> = []
        for attempt in 0..<maxAttempts {
            guard let endpoint = (0..<order.count).lazy.map({ order[(attempt + $0) % order.count] }).first(where: { !timedOut.contains($0) })
            else { break }
            if attempt > 0 { await backoff(attempt) }
            do {
                return try decode(try await exchange(body, endpoint: endpoint, method: method), endpoint)
            } catch {
                guard error.isRetryable else { throw error }
                if case .timeout = error { timedOut.insert(endpoint) }
                lastError = error
            }
        }
        throw lastError!
    }

    /// One HTTP exchange, recorded in the metrics and the endpoint's health.
    ///
    /// Bounded by the task's `Deadline` as well as the transport's timeout: past the deadline
    /// the call is not made, and fails as a timeout.
    func exchange(_ body: [UInt8], endpoint: String, method: String) async throws(ChainError) -> [UInt8] {
        let timeout = Deadline.remaining(within: transport.totalTimeout)
        guard timeout > 0 else { throw .timeout(endpoint: endpoint, method: method, seconds: 0) }
        let started = DispatchTime.now().uptimeNanoseconds
        var failed = true
        defer { metrics.record(method: method, seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, failed: failed) }
        let response: HTTPTransport.Response
        do {
            response = try await transport.post(url: endpoint, body: body, timeout: timeout)
        } catch {
            switch error {
            case .timeout:
                markFailed(endpoint)
                throw .timeout(endpoint: endpoint, method: method, seconds: timeout)
            case .transport(let message), .connect(let message):
                markFailed(endpoint)
                throw .transport(endpoint: endpoint, method: method, message: message)
            // Our own bound, not the node's failure: the endpoint stays healthy.
            case .overloaded: throw .busy(endpoint: endpoint, method: method)
            // The caller gave up (its task was cancelled): not the node's failure either.
            case .cancelled: throw .timeout(endpoint: endpoint, method: method, seconds: timeout)
            }
        }
        guard response.status == 200 else {
            if response.status >= 500 || response.status == 429 { markFailed(endpoint) }
            throw .httpStatus(endpoint: endpoint, method: method, status: response.status)
        }
        markHealthy(endpoint)
        failed = false
        return response.body
    }

    /// Waits base × 2^(attempt-1), ± half of it at random, at most 2 s (and never past the
    /// task's deadline). The timer is Dispatch's, not `Task.sleep`'s: the task goes on on its
    /// own executor (a request's, the indexer's thread) without needing a thread of Swift's
    /// global pool, which callers that block may have taken.
    func backoff(_ attempt: Int) async {
        let delay = Deadline.remaining(within: min(2, baseBackoff * pow(2, Double(attempt - 1))) * Double.random(in: 0.5...1.5))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, delay)) { continuation.resume() }
        }
    }

    func encode<Value: Encodable>(_ value: Value, method: String) throws(ChainError) -> [UInt8] {
        do { return Array(try JSONEncoder().encode(value)) } catch {
            throw .invalidResponse(endpoint: endpoints[0], method: method, reason: "cannot encode params: \(error)")
        }
    }

    static func decodeEnvelope<Result: Decodable>(_ data: [UInt8], as type: Result.Type, endpoint: String, method: String)
        throws(ChainError) -> Result
    {
        let envelope: Envelope<Result>
        do {
            envelope = try JSONDecoder().decode(Envelope<Result>.self, from: Data(data))
        } catch {
            throw .invalidResponse(endpoint: endpoint, method: method, reason: describe(error))
        }
        return try envelope.value(endpoint: endpoint, method: method)
    }

    static func decodeBatch<Result: Decodable>(_ data: [UInt8], count: Int, as type: Result.Type, endpoint: String, method: String)
        throws(ChainError) -> [Swift.Result<Result, ChainError>]
    {
        let envelopes: [Envelope<Result>]
        do {
            envelopes = try JSONDecoder().decode([Envelope<Result>].self, from: Data(data))
        } catch {
            throw .invalidResponse(endpoint: endpoint, method: method, reason: "batch: " + describe(error))
        }
        var results = [Swift.Result<Result, ChainError>](
            repeating: .failure(.invalidResponse(endpoint: endpoint, method: method, reason: "no answer in the batch")), count: count)
        for envelope in envelopes {
            guard let id = envelope.id, (0..<count).contains(id) else { continue }
            do { results[id] = .success(try envelope.value(endpoint: endpoint, method: method)) } catch { results[id] = .failure(error) }
        }
        return results
    }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.typeMismatch(_, let context) = error { return context.debugDescription }
        if case DecodingError.keyNotFound(let key, _) = error { return "missing \(key.stringValue)" }
        if case DecodingError.valueNotFound(_, let context) = error { return "null where a value was expected at \(context.codingPath.map(\.stringValue))" }
        return "not JSON-RPC JSON"
    }

    struct Request: Encodable {
        let jsonrpc = "2.0"
        let id: Int
        let method: String
        let params: [JSONValue]
    }

    struct Envelope<Result: Decodable>: Decodable {
        let id: Int?
        let result: Result?
        let error: ErrorObject?
        let hasResult: Bool

        enum CodingKeys: String, CodingKey { case id, result, error }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try? container.decodeIfPresent(Int.self, forKey: .id)
            error = try container.decodeIfPresent(ErrorObject.self, forKey: .error)
            hasResult = container.contains(.result)
            if error == nil && hasResult {
                // Optionals and JSONValue accept a JSON null; other types make it "null result".
                result = try container.decodeNil(forKey: .result)
                    ? try? container.decode(Result.self, forKey: .result)
                    : try container.decode(Result.self, forKey: .result)
            } else {
                result = nil
            }
        }

        func value(endpoint: String, method: String) throws(ChainError) -> Result {
            if let error {
                if error.code == 3 || error.message.hasPrefix("execution reverted") {
                    let data = error.data.flatMap { try? Hex.decode($0) } ?? []
                    throw .reverted(endpoint: endpoint, method: method, reason: RevertReason(data: data))
                }
                throw .rpc(endpoint: endpoint, method: method, code: error.code, message: error.message, data: error.data)
            }
            if let result { return result }
            throw .invalidResponse(endpoint: endpoint, method: method, reason: hasResult ? "null result" : "neither result nor error")
        }
    }

    struct ErrorObject: Decodable {
        let code: Int
        let message: String
        let data: String?

        enum CodingKeys: String, CodingKey { case code, message, data }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code = try container.decode(Int.self, forKey: .code)
            message = try container.decode(String.self, forKey: .message)
            data = try? container.decodeIfPresent(String.self, forKey: .data)  // some nodes put objects here
        }
    }
}
