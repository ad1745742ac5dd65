import CFastCGI
import Foundation
import SonicApp

/// A multi-threaded FastCGI responder on libfcgi.
///
/// Every worker thread blocks in `FCGX_Accept_r` on the shared listening socket (no accept
/// mutex: with kept-alive nginx connections libfcgi's mutex deadlocks). `stop()` shuts the
/// socket down, which wakes the threads blocked in accept; requests in flight are finished.
public final class FastCGIServer: @unchecked Sendable {
    public typealias Handler = @Sendable (Request) -> Response

    public let address: String
    public let threads: Int
    private let handler: Handler
    private let maxBody: Int
    private var socket: Int32 = -1
    private let finished = DispatchGroup()

    /// - Parameters:
    ///   - address: `host:port`, `:port` or a Unix socket path.
    ///   - threads: worker threads.
    ///   - maxBody: largest request body read; larger ones are answered 413.
    public init(address: String, threads: Int, maxBody: Int = 16 << 20, handler: @escaping Handler) {
        self.address = address
        self.threads = threads
        self.maxBody = maxBody
        self.handler = handler
    }

    /// Opens the socket and starts the worker threads; returns at once.
    /// - Throws: `FastCGIError.cannotListen` when the address is taken or invalid.
    public func start() throws(FastCGIError) {
        FCGX_Init()
        _ = sonic_raise_nofile_limit()
        socket = try ListeningSocket.open(address, backlog: 4096)
        for index in 0..<threads {
            finished.enter()
            let thread = Thread { [self] in
                self.serve()
                self.finished.leave()
            }
            thread.name = "fcgi-\(index)"
            thread.stackSize = 512 << 10
            thread.start()
        }
    }

    /// Stops accepting, lets requests in flight finish, and returns when every thread has ended.
    public func stop() {
        guard socket >= 0 else { return }
        shutdown(socket, Int32(SHUT_RDWR))
        finished.wait()
        close(socket)
        socket = -1
    }

    private func serve() {
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { request.deallocate() }
        FCGX_InitRequest(request, socket, 0)
        while FCGX_Accept_r(request) >= 0 {
            let exchange = FastCGIExchange(request)
            let response: Response
            switch exchange.readRequest(maxBody: maxBody) {
            case .success(let incoming): response = handler(incoming)
            case .failure(let problem): response = .problem(problem)
            }
            exchange.write(response)
            FCGX_Finish_r(request)
        }
        FCGX_Free(request, 1)
    }
}

/// Why the server could not start.
public enum FastCGIError: Error, CustomStringConvertible {
    case cannotListen(address: String, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason): "cannot listen for FastCGI on \(address): \(reason)"
        }
    }
}
