import CCurl
import Synchronization

/// What `RPCClient`, the language model and the pinning services send their requests through:
/// `HTTPTransport` holds the calling thread for the exchange, `CurlMultiTransport` waits without one.
public protocol HTTPClient: Sendable {
    /// The longest an exchange may take, in seconds.
    var totalTimeout: Double { get }
    /// POSTs the JSON `body` to `url` and returns the status and body.
    /// - Parameter timeout: seconds for this exchange, at most `totalTimeout`; nil for all of it.
    func post(url: String, body: [UInt8], timeout: Double?) async throws(HTTPTransport.Failure) -> HTTPTransport.Response
    /// The same with `headers` (a content type, an authorization) instead of the JSON ones.
    func post(url: String, body: [UInt8], headers: [String], timeout: Double?) async throws(HTTPTransport.Failure) -> HTTPTransport.Response
}

/// HTTP POST of JSON bodies (and plain GETs) over libcurl, reusing connections (keep-alive) between calls.
///
/// Thread-safe: each call borrows an idle curl handle from a small pool (a handle keeps its
/// connection open), or makes a new one; handles are never shared between threads at once.
public final class HTTPTransport: Sendable {
    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
    }

    public enum Failure: Error, Sendable, Equatable {
        /// No connection was made: the request certainly did not reach the server.
        case connect(String)
        /// The exchange failed after connecting (reset, bad answer): the server may have seen it.
        case transport(String)
        case timeout
        /// Too many calls to this host are in flight and waiting: refused without trying
        /// (`CurlMultiTransport` only).
        case overloaded
        /// The caller's task was cancelled, or the transport stopped (`CurlMultiTransport` only).
        case cancelled

        /// The failure a curl result code stands for; nil for `CURLE_OK`.
        init?(_ code: CURLcode) {
            guard code != CURLE_OK else { return nil }
            let message = String(cString: curl_easy_strerror(code))
            switch code {
            case CURLE_OPERATION_TIMEDOUT: self = .timeout
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: self = .connect(message)
            default: self = .transport(message)
            }
        }
    }

    public let connectTimeout: Double
    public let totalTimeout: Double
    private let idle = Mutex<[CurlHandle]>([])
    private let maxIdle = 16

    /// - Parameters:
    ///   - connectTimeout: seconds to establish a connection.
    ///   - totalTimeout: seconds for the whole request and answer.
    public init(connectTimeout: Double = 2, totalTimeout: Double = 10) {
        Self.globalInit
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// POSTs `body` as `application/json` to `url` and returns the status and body.
    /// - Parameter timeout: seconds for this exchange, at most `totalTimeout`.
    public func post(url: String, body: [UInt8], timeout: Double? = nil) throws(Failure) -> Response {
        let handle = idle.withLock { $0.popLast() } ?? CurlHandle()
        let result = handle.perform(url: url, body: body, connectTimeout: connectTimeout,
                                    totalTimeout: min(timeout ?? totalTimeout, totalTimeout))
        if case .success = result {
            idle.withLock { handles in
                if handles.count < maxIdle { handles.append(handle) }
            }
        }
        return try result.get()
    }

    /// POSTs `body` with the given headers (a content type, an authorization) instead of the
    /// JSON ones, and returns the status and body.
    public func post(url: String, body: [UInt8], headers: [String], timeout: Double? = nil) throws(Failure) -> Response {
        let handle = idle.withLock { $0.popLast() } ?? CurlHandle()
        let result = handle.perform(url: url, body: body, headers: headers, connectTimeout: connectTimeout,
                                    totalTimeout: min(timeout ?? totalTimeout, totalTimeout))
        if case .success = result {
            idle.withLock { handles in
                if handles.count < maxIdle { handles.append(handle) }
            }
        }
        return try result.get()
    }

    /// GETs `url` and returns the status and body.
    public func get(url: String) throws(Failure) -> Response {
        let handle = idle.withLock { $0.popLast() } ?? CurlHandle()
        let result = handle.perform(url: url, body: nil, connectTimeout: connectTimeout, totalTimeout: totalTimeout)
        if case .success = result {
            idle.withLock { handles in
                if handles.count < maxIdle { handles.append(handle) }
            }
        }
        return try result.get()
    }
}

extension HTTPTransport: HTTPClient {}

/// One curl easy handle and its reusable connection. Used by one thread at a time.
final class CurlHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let headers: UnsafeMutablePointer<curl_slist>?

    init() {
        handle = curl_easy_init()
        var list: UnsafeMutablePointer<curl_slist>? = nil
        list = curl_slist_append(list, "Content-Type: application/json")
        list = curl_slist_append(list, "Accept: application/json")
        list = curl_slist_append(list, "Expect:")  // no 100-continue round trip
        headers = list
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headers)
    }

    /// A POST of `body`, or a GET when `body` is nil; `headers` replace the JSON ones.
    func perform(url: String, body: [UInt8]?, headers custom: [String]? = nil, connectTimeout: Double, totalTimeout: Double)
        -> Result<HTTPTransport.Response, HTTPTransport.Failure>
    {
        var customList: UnsafeMutablePointer<curl_slist>? = nil
        if let custom {
            for header in custom + ["Expect:"] { customList = curl_slist_append(customList, header) }
        }
        defer {
            if customList != nil {
                sonic_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers))
                curl_slist_free_all(customList)
            }
        }
        let sink = ResponseSink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        sonic_curl_setopt_string(handle, CURLOPT_URL, url)
        if body == nil {
            sonic_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        } else {
            sonic_curl_setopt_long(handle, CURLOPT_POST, 1)
        }
        sonic_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(customList ?? headers))
        sonic_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        sonic_curl_setopt_long(handle, CURLOPT_TCP_NODELAY, 1)
        sonic_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
        sonic_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(totalTimeout * 1000))
        sonic_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 0)
        sonic_curl_setopt_write_function(handle) { data, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            let total = size * count
            if let data { data.withMemoryRebound(to: UInt8.self, capacity: total) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: total)) } }
            return total
        }
        sonic_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        let code: CURLcode = body.map { body in
            body.withUnsafeBufferPointer { buffer in
                sonic_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, buffer.count)
                sonic_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
                return curl_easy_perform(handle)
            }
        } ?? curl_easy_perform(handle)
        // The body buffer is gone after this call: never leave curl pointing at it.
        sonic_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, nil)
        if let failure = HTTPTransport.Failure(code) { return .failure(failure) }
        var status = 0
        sonic_curl_response_code(handle, &status)
        return .success(.init(status: status, body: sink.bytes))
    }
}

private final class ResponseSink {
    var bytes: [UInt8] = []
}
