import CCurl
import Foundation
import Synchronization

/// HTTP exchanges that are awaited without holding a thread: one thread of its own drives every
/// transfer through libcurl's multi interface (`curl_multi_poll`), and resumes each caller when
/// its answer is complete. Connections stay open and are reused between calls.
///
/// Calls in flight to one host (scheme, host and port) are bounded by `maxInFlight`, as providers
/// limit them; beyond that a call waits in a queue of at most `maxQueued`, and beyond that it
/// fails at once with `.overloaded`, so that waiting cannot grow without end behind a slow
/// server. Time in the queue counts against a call's timeout: one that runs out there fails
/// with `.timeout` without being sent. A cancelled task's call is given up (its connection is closed).
public final class CurlMultiTransport: HTTPClient {
    public typealias Response = HTTPTransport.Response

    public typealias Failure = HTTPTransport.Failure

    public let connectTimeout: Double
    public let totalTimeout: Double
    public let maxInFlight: Int
    public let maxQueued: Int

    /// The multi handle; curl_multi_wakeup is the one call made on it outside its thread.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let state = Mutex(State())
    private let ended = DispatchSemaphore(value: 0)

    private struct State: ~Copyable {
        var running = true
        /// Admitted, to be added to the multi handle by its thread.
        var submitted: [Transfer] = []
        /// Given up by their callers, to be removed by the thread.
        var cancelled: [Transfer] = []
        var inFlight: [String: Int] = [:]
        var queued: [String: [Transfer]] = [:]
    }

    /// - Parameters:
    ///   - connectTimeout: seconds to establish a connection.
    ///   - totalTimeout: seconds for a whole exchange, unless the call asks for less.
    ///   - maxInFlight: calls at once to one host.
    ///   - maxQueued: calls waiting for one host beyond those; more are refused.
    ///   - threadName: its thread's name, as `ps -L` and /proc show it (at most 15 bytes).
    public init(connectTimeout: Double = 2, totalTimeout: Double = 10, maxInFlight: Int = 32, maxQueued: Int = 64,
                threadName: String = "curl-multi") {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxInFlight = max(1, maxInFlight)
        self.maxQueued = max(0, maxQueued)
        multi = curl_multi_init()!
        sonic_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, self.maxInFlight)
        Thread { [self] in
            // The name `top` and the tests see (Foundation's Thread.name is not the kernel's).
            try? threadName.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            run()
        }.start()
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Calls waiting for a slot, to any host.
    var waitingCount: Int { state.withLock { $0.queued.values.reduce(0) { $0 + $1.count } } }

    /// Ends the transport's thread after failing every call in flight or waiting with
    /// `.cancelled`; later calls fail at once the same way. Returns once the thread has ended.
    public func stop() {
        let wasRunning = state.withLock { state in
            defer { state.running = false }
            return state.running
        }
        guard wasRunning else { return }
        curl_multi_wakeup(multi)
        ended.wait()
    }

    /// POSTs `body` to `url` with `headers` (JSON ones by default) and returns the status and body.
    /// - Parameter timeout: seconds for this exchange, at most `totalTimeout`.
    public func post(url: String, body: [UInt8], headers: [String], timeout: Double? = nil)
        async throws(Failure) -> Response
    {
        try await perform(Transfer(url: url, body: body, headers: headers, timeout: min(timeout ?? totalTimeout, totalTimeout),
                                   connectTimeout: connectTimeout))
    }

    /// What a call to a host we do not trust needs (a webhook a person gave us).
    public struct Guard: Sendable {
        /// `host:port:address` entries: connect to these addresses (checked by the caller), never
        /// to what a second DNS lookup would answer.
        public var resolve: [String]
        /// The most bytes of answer read; a longer one fails the call.
        public var maxResponseBytes: Int

        public init(resolve: [String], maxResponseBytes: Int) {
            self.resolve = resolve
            self.maxResponseBytes = maxResponseBytes
        }
    }

    /// POSTs `body` to `url` with `headers`, connecting only as `guard` allows.
    public func post(url: String, body: [UInt8], headers: [String], timeout: Double? = nil, guard rules: Guard)
        async throws(Failure) -> Response
    {
        let transfer = Transfer(url: url, body: body, headers: headers, timeout: min(timeout ?? totalTimeout, totalTimeout),
                                connectTimeout: connectTimeout)
        transfer.rules = rules
        return try await perform(transfer)
    }

    /// POSTs the JSON `body` to `url` and returns the status and body.
    /// - Parameter timeout: seconds for this exchange, at most `totalTimeout`.
    public func post(url: String, body: [UInt8], timeout: Double? = nil) async throws(Failure) -> Response {
        try await post(url: url, body: body, headers: HTTPTransport.jsonHeaders, timeout: timeout)
    }

    /// GETs `url` and returns the status and body.
    public func get(url: String, timeout: Double? = nil) async throws(Failure) -> Response {
        try await perform(Transfer(url: url, body: nil, headers: [], timeout: min(timeout ?? totalTimeout, totalTimeout),
                                   connectTimeout: connectTimeout))
    }

    /// GETs `url` with `headers`, reading at most `maxResponseBytes` of answer (a longer one fails the call).
    public func get(url: String, headers: [String], timeout: Double? = nil, maxResponseBytes: Int) async throws(Failure) -> Response {
        let transfer = Transfer(url: url, body: nil, headers: headers, timeout: min(timeout ?? totalTimeout, totalTimeout),
                                connectTimeout: connectTimeout)
        transfer.rules = Guard(resolve: [], maxResponseBytes: maxResponseBytes)
        return try await perform(transfer)
    }

    private func perform(_ transfer: Transfer) async throws(Failure) -> Response {
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.wait(continuation)
                admit(transfer)
            }
        } onCancel: {
            state.withLock { $0.cancelled.append(transfer) }
            curl_multi_wakeup(multi)
        }
        return try result.get()
    }

    private enum Admission { case started, queued, refused(Failure) }

    private func admit(_ transfer: Transfer) {
        let admission: Admission = state.withLock { state in
            guard state.running, !transfer.isFinished else { return .refused(.cancelled) }
            if state.inFlight[transfer.host, default: 0] < maxInFlight {
                state.inFlight[transfer.host, default: 0] += 1
                state.submitted.append(transfer)
                return .started
            }
            if state.queued[transfer.host, default: []].count < maxQueued {
                state.queued[transfer.host, default: []].append(transfer)
                return .queued
            }
            return .refused(.overloaded)
        }
        switch admission {
        case .started: curl_multi_wakeup(multi)
        case .queued: break
        case .refused(let failure): transfer.finish(.failure(failure))
        }
    }

    /// Frees the host's slot of a finished transfer, starting the next one waiting for it.
    private func release(_ transfer: Transfer) {
        state.withLock { state in
            if var waiting = state.queued[transfer.host], !waiting.isEmpty {
                state.submitted.append(waiting.removeFirst())
                state.queued[transfer.host] = waiting
            } else {
                state.inFlight[transfer.host, default: 1] -= 1
            }
        }
    }

    /// The transport's thread: adds new transfers, drives them, hands back the finished ones,
    /// and sleeps in `curl_multi_poll` until a socket is ready or a caller wakes it.
    private func run() {
        defer { ended.signal() }
        let handle = multi
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        while true {
            let (new, cancelled, running) = state.withLock { state in
                defer { state.submitted = []; state.cancelled = [] }
                return (state.submitted, state.cancelled, state.running)
            }
            guard running else {
                let waiting = state.withLock { state in
                    defer { state.queued = [:] }
                    return state.queued.values.flatMap { $0 }
                }
                for transfer in Array(active.values) + new + waiting {
                    if let easy = transfer.easy { curl_multi_remove_handle(handle, easy) }
                    transfer.finish(.failure(.cancelled))
                }
                return
            }
            for transfer in new {
                // It waited in the queue for all of its time: given up without being sent.
                guard transfer.secondsLeft > 0 else {
                    release(transfer)
                    transfer.finish(.failure(.timeout))
                    continue
                }
                active[transfer.start(in: handle)] = transfer
            }
            for transfer in cancelled {
                if let easy = transfer.easy, active.removeValue(forKey: easy) != nil {
                    curl_multi_remove_handle(handle, easy)
                    release(transfer)
                } else {
                    withdraw(transfer)
                }
                transfer.finish(.failure(.cancelled))
            }
            var stillRunning: Int32 = 0
            curl_multi_perform(handle, &stillRunning)
            var left: Int32 = 0
            while let message = curl_multi_info_read(handle, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let transfer = active.removeValue(forKey: easy)
                else { continue }
                let code = sonic_curl_message_result(message)
                curl_multi_remove_handle(handle, easy)
                release(transfer)
                transfer.finish(transfer.result(code))
            }
            let more = state.withLock { !$0.submitted.isEmpty || !$0.cancelled.isEmpty }
            if !more { curl_multi_poll(handle, nil, 0, 1000, nil) }
        }
    }

    /// Takes a transfer that never started out of its host's queue.
    private func withdraw(_ transfer: Transfer) {
        state.withLock { state in
            state.queued[transfer.host]?.removeAll { $0 === transfer }
            state.submitted.removeAll { $0 === transfer }
        }
    }
}

extension HTTPTransport {
    /// The headers of a JSON-RPC call.
    public static let jsonHeaders = ["Content-Type: application/json", "Accept: application/json"]
}

/// One exchange of `CurlMultiTransport`: its easy handle, its answer as it arrives, and the
/// caller waiting for it. Touched by the caller until it is admitted, then by the transport's
/// thread alone.
private final class Transfer: @unchecked Sendable {
    typealias Answer = Result<HTTPTransport.Response, CurlMultiTransport.Failure>

    let url: String
    let body: [UInt8]?
    let headers: [String]
    let connectTimeout: Double
    /// When the call's timeout runs out, counted from the call (uptime in ns): time waiting in the
    /// queue counts, so no call outlives its timeout, however long the queue.
    let expires: UInt64
    /// `scheme://host:port`, the unit of the in-flight bound.
    let host: String
    private(set) var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    /// Set before the transfer is admitted, for a host we do not trust.
    var rules: CurlMultiTransport.Guard?
    var received: [UInt8] = []
    /// The caller's continuation until it is resumed, or the outcome if it came first.
    private let outcome = Mutex<Outcome>(.waiting(nil))

    private enum Outcome {
        case waiting(CheckedContinuation<Answer, Never>?)
        case finished(Answer?)
    }

    /// Seconds left of its timeout; 0 once it has run out.
    var secondsLeft: Double {
        let now = DispatchTime.now().uptimeNanoseconds
        return expires > now ? Double(expires - now) / 1e9 : 0
    }

    init(url: String, body: [UInt8]?, headers: [String], timeout: Double, connectTimeout: Double) {
        self.url = url
        self.body = body
        self.headers = headers
        self.connectTimeout = connectTimeout
        expires = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeout) * 1e9)
        if let parts = URLComponents(string: url), let scheme = parts.scheme, let name = parts.host {
            host = "\(scheme)://\(name):\(parts.port ?? (scheme == "https" ? 443 : 80))"
        } else {
            host = url
        }
    }

    deinit {
        if let easy { curl_easy_cleanup(easy) }
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
    }

    /// Makes the easy handle and adds it to `multi`; returns the handle.
    func start(in multi: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        let easy = curl_easy_init()!
        self.easy = easy
        for header in headers + ["Expect:"] { headerList = curl_slist_append(headerList, header) }
        sonic_curl_setopt_string(easy, CURLOPT_URL, url)
        sonic_curl_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
        if let body {
            sonic_curl_setopt_long(easy, CURLOPT_POSTFIELDSIZE, body.count)
            body.withUnsafeBufferPointer { buffer in
                // Copied by curl: the array's storage need not outlive this call.
                _ = sonic_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!))
            }
        } else {
            sonic_curl_setopt_long(easy, CURLOPT_HTTPGET, 1)
        }
        sonic_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        sonic_curl_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        sonic_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
        sonic_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, max(1, Int(secondsLeft * 1000)))
        sonic_curl_setopt_long(easy, CURLOPT_MAXREDIRS, 0)
        if let rules {
            for entry in rules.resolve { resolveList = curl_slist_append(resolveList, entry) }
            sonic_curl_setopt_pointer(easy, CURLOPT_RESOLVE, UnsafeMutableRawPointer(resolveList))
            sonic_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        }
        sonic_curl_setopt_write_function(easy) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let total = size * count
            // Past the bound the answer is refused: returning less than given fails the transfer.
            if let most = transfer.rules?.maxResponseBytes, transfer.received.count + total > most { return 0 }
            if let data {
                data.withMemoryRebound(to: UInt8.self, capacity: total) {
                    transfer.received.append(contentsOf: UnsafeBufferPointer(start: $0, count: total))
                }
            }
            return total
        }
        sonic_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
        curl_multi_add_handle(multi, easy)
        return easy
    }

    /// The caller's answer for the transfer's outcome `code`.
    func result(_ code: CURLcode) -> Answer {
        if let failure = HTTPTransport.Failure(code) { return .failure(failure) }
        var status = 0
        if let easy { sonic_curl_response_code(easy, &status) }
        return .success(.init(status: status, body: received))
    }

    var isFinished: Bool {
        outcome.withLock { if case .finished = $0 { true } else { false } }
    }

    /// Keeps the caller's continuation, or resumes it at once if the transfer already finished
    /// (cancelled before it was admitted).
    func wait(_ continuation: CheckedContinuation<Answer, Never>) {
        let early: Answer? = outcome.withLock { outcome in
            guard case .finished(let result) = outcome else {
                outcome = .waiting(continuation)
                return nil
            }
            outcome = .finished(nil)
            return result
        }
        if let early { continuation.resume(returning: early) }
    }

    /// Resumes the caller once, whichever of the answer, a cancellation or a stop comes first.
    func finish(_ result: Answer) {
        let continuation = outcome.withLock { outcome in
            guard case .waiting(let continuation) = outcome else { return nil as CheckedContinuation<Answer, Never>? }
            outcome = .finished(continuation == nil ? result : nil)
            return continuation
        }
        continuation?.resume(returning: result)
    }
}
