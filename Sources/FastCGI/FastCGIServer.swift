import CFastCGI
import Foundation
import SonicApp
import Synchronization

/// A multi-threaded FastCGI responder on libfcgi.
///
/// Every worker thread blocks in `FCGX_Accept_r` on the shared listening socket (no accept
/// mutex: with kept-alive nginx connections libfcgi's mutex deadlocks). `stop()` shuts the
/// socket down, which wakes the threads blocked in accept; requests in flight are finished.
public final class FastCGIServer: @unchecked Sendable {
    /// Answers a request by calling the closure exactly once: at once, or later from any
    /// thread (a parked long-poll). The request waits without holding a thread.
    public typealias Handler = @Sendable (Request, @escaping @Sendable (Response) -> Void) -> Void

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

    /// A server whose handler always answers at once.
    public convenience init(address: String, threads: Int, maxBody: Int = 16 << 20, answer: @escaping @Sendable (Request) -> Response) {
        self.init(address: address, threads: threads, maxBody: maxBody) { request, respond in respond(answer(request)) }
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
        while true {
            let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
            FCGX_InitRequest(request, socket, 0)
            guard FCGX_Accept_r(request) >= 0 else {
                request.deallocate()
                return
            }
            let exchange = FastCGIExchange(request)
            switch exchange.readRequest(maxBody: maxBody) {
            case .failure(let problem):
                let responder = Responder(exchange)
                responder.respond(.problem(problem))
            case .success(let incoming):
                let responder = Responder(exchange)
                handler(incoming) { response in responder.respond(response) }
                responder.handlerReturned()
            }
        }
    }
}

/// Owns one accepted request until it is answered, on whichever thread that happens.
///
/// The rule: only the holder of the lock in state `.handling` or `.parked` may touch the
/// request; answering moves it to `.done` and frees it. A request answered after its handler
/// returned (parked) is detached first, so closing its connection does not wait for nginx.
final class Responder: @unchecked Sendable {
    enum State { case handling, parked, done }

    private let exchange: FastCGIExchange
    private let state = Mutex<State>(.handling)

    init(_ exchange: FastCGIExchange) { self.exchange = exchange }

    func respond(_ response: Response) {
        state.withLock { state in
            guard state != .done else { return }
            if state == .parked { FCGX_Detach(exchange.request) }
            exchange.write(response)
            FCGX_Finish_r(exchange.request)
            exchange.request.deallocate()
            state = .done
        }
    }

    /// The accepting thread is done with the request; if unanswered, it is now parked.
    func handlerReturned() {
        state.withLock { state in
            if state == .handling { state = .parked }
        }
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
