import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 standing in for an outside service we cannot reach from
/// here (a model provider, a pinning service, an explorer): it records each request, so a test
/// checks the shape the service documents, and answers what the test says. One connection at a
/// time, each closed after its answer.
public final class HTTPStub: @unchecked Sendable {
    public struct Recorded: Sendable {
        public let method: String
        /// The path with its query string.
        public let target: String
        /// Names in lower case.
        public let headers: [String: String]
        public let body: [UInt8]

        /// The body as a JSON object, if it is one.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    public typealias Answer = @Sendable (Recorded) -> (status: Int, body: String)

    public let port: UInt16
    public var url: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let lock = NSLock()
    private var recorded: [Recorded] = []
    private let ended = DispatchSemaphore(value: 0)

    /// Listens on a free port and answers each request with `answer`, one connection after
    /// another; with `concurrent`, each connection on a thread of its own, so that `answer` may
    /// block (a slow server) while others are answered.
    public init(concurrent: Bool = false, _ answer: @escaping Answer) {
        (listener, port) = loopbackSocket()
        listen(listener, 64)
        Thread { [self] in
            defer { ended.signal() }
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                if concurrent {
                    Thread { [self] in serve(connection, answer) }.start()
                } else {
                    serve(connection, answer)
                }
            }
        }.start()
    }

    private func serve(_ connection: Int32, _ answer: Answer) {
        if let request = Self.read(connection) {
            lock.withLock { recorded.append(request) }
            let (status, body) = answer(request)
            let bytes = Array(body.utf8)
            let head = "HTTP/1.1 \(status) Stub\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
            let out = Array(head.utf8) + bytes
            _ = out.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        close(connection)
    }

    /// The requests received so far, in order.
    public var requests: [Recorded] { lock.withLock { recorded } }

    /// Stops listening and waits for the server's thread to end.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        ended.wait()
    }

    /// One request: the head up to its blank line, then `Content-Length` bytes of body.
    private static func read(_ connection: Int32) -> Recorded? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headEnd: Int?
        var length = 0
        while headEnd == nil || data.count < headEnd! + length {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            data += buffer[0..<count]
            if headEnd == nil, let end = data.indices.dropLast(3).first(where: { data[$0...$0 + 3].elementsEqual([13, 10, 13, 10]) }) {
                headEnd = end + 4
                let head = String(decoding: data[0..<end], as: UTF8.self)
                length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let pair = line.split(separator: ":", maxSplits: 1)
                    return pair.count == 2 && pair[0].lowercased() == "content-length" ? Int(pair[1].trimmingCharacters(in: .whitespaces)) : nil
                }.first ?? 0
            }
        }
        let lines = String(decoding: data[0..<headEnd! - 4], as: UTF8.self).components(separatedBy: "\r\n")
        let start = lines[0].split(separator: " ")
        guard start.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2 { headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces) }
        }
        return Recorded(method: String(start[0]), target: String(start[1]), headers: headers, body: Array(data[headEnd!...]))
    }
}
