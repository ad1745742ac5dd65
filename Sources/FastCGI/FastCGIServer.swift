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
    /// Per worker thread, the kept-alive connection it waits on for the next request (-1: a new
    /// one). Atomics, not a lock: every request passes here, and Swift's `Mutex` on Linux is a
    /// priority-inheritance futex that collapses under 64 threads' contention.
    private var slots: [WorkerSlot] = []
    private let stopping = Atomic<Bool>(false)
    /// Finds parked requests whose client went away.
    let disconnects = DisconnectWatch()

    /// Requests parked now (answered later, or freed when their client disconnects).
    public var parkedCount: Int { disconnects.count }

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
        disconnects.start()
        slots = (0..<threads).map { _ in WorkerSlot() }
        for index in 0..<threads {
            finished.enter()
            let slot = slots[index]
            let thread = Thread { [self] in
                self.serve(slot)
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
        // Threads waiting on an idle kept connection would never see the listener close. With
        // sequentially consistent atomics, a thread either sees `stopping` after publishing its
        // descriptor, or its descriptor is seen here.
        stopping.store(true, ordering: .sequentiallyConsistent)
        for slot in slots {
            let fd = slot.fd.load(ordering: .sequentiallyConsistent)
            if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        finished.wait()
        close(socket)
        socket = -1
    }

    private func serve(_ slot: WorkerSlot) {
        var request = Self.newRequest(socket)
        while true {
            // Accepting on a record whose connection nginx keeps alive reads that connection's
            // next request (fastcgi_keep_conn on); a fresh record accepts a new connection.
            let kept = request.pointee.ipcFd >= 0 ? request.pointee.ipcFd : -1
            slot.fd.store(kept, ordering: .sequentiallyConsistent)
            guard !stopping.load(ordering: .sequentiallyConsistent) else {
                slot.fd.store(-1, ordering: .sequentiallyConsistent)
                FCGX_Free(request, 1)  // closes a kept connection
                request.deallocate()
                return
            }
            let accepted = FCGX_Accept_r(request)
            slot.fd.store(-1, ordering: .sequentiallyConsistent)
            guard accepted >= 0 else {
                request.deallocate()
                return
            }
            let exchange = FastCGIExchange(request)
            let responder = Responder(exchange)
            switch exchange.readRequest(maxBody: maxBody) {
            case .failure(let problem): responder.respond(.problem(problem))
            case .success(let incoming): handler(incoming) { response in responder.respond(response) }
            }
            if responder.handlerReturned() {
                disconnects.watch(responder)
                request = Self.newRequest(socket)  // the parked record now belongs to its responder
            }
        }
    }

    private static func newRequest(_ socket: Int32) -> UnsafeMutablePointer<FCGX_Request> {
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        FCGX_InitRequest(request, socket, 0)
        return request
    }
}

/// Owns one accepted request until it is answered, on whichever thread that happens.
///
/// The rule: only the holder of the lock in state `.handling` or `.parked` may touch the
/// request. Answered inline, the record stays with the accepting thread, which reuses it (and
/// its kept-alive connection). Answered after its handler returned (parked), it is closed
/// without keep-alive, detached so the close does not wait for nginx, and freed.
final class Responder: @unchecked Sendable {
    enum State { case handling, parked, done }

    let exchange: FastCGIExchange
    private let state = Mutex<State>(.handling)
    /// Set while a `DisconnectWatch` watches the parked request.
    let watch = Mutex<(DisconnectWatch, UInt64)?>(nil)

    init(_ exchange: FastCGIExchange) { self.exchange = exchange }

    func respond(_ response: Response) {
        if let (watcher, id) = watch.withLock({ $0.take() }) { watcher.forget(id) }
        state.withLock { state in
            guard state != .done else { return }
            let parked = state == .parked
            if parked {
                exchange.request.pointee.keepConnection = 0
                FCGX_Detach(exchange.request)
            }
            exchange.write(response)
            FCGX_Finish_r(exchange.request)
            if parked { exchange.request.deallocate() }
            state = .done
        }
    }

    /// Runs `body` with the request's descriptor while it is parked (under the lock that
    /// answering takes); nil when it is not parked any more.
    func whileParked<Value>(_ body: (Int32) -> Value) -> Value? {
        state.withLock { state in state == .parked ? body(exchange.request.pointee.ipcFd) : nil }
    }

    /// The client went away while the request was parked: close the connection and free the
    /// record now, rather than when its wait ends. A later `respond` does nothing.
    /// - Returns: whether it was still parked.
    @discardableResult
    func abandon() -> Bool {
        state.withLock { state in
            guard state == .parked else { return false }
            exchange.request.pointee.keepConnection = 0
            FCGX_Detach(exchange.request)
            FCGX_Finish_r(exchange.request)
            exchange.request.deallocate()
            state = .done
            return true
        }
    }

    /// The accepting thread is done with the request. Returns true when it was not answered
    /// yet: it is now parked, and the thread must take a new record.
    func handlerReturned() -> Bool {
        state.withLock { state in
            guard state == .handling else { return false }
            state = .parked
            return true
        }
    }
}

/// One worker thread's kept-alive connection, visible to `stop()`.
final class WorkerSlot: Sendable {
    let fd = Atomic<Int32>(-1)
}

/// An epoll thread over the descriptors of parked requests: nginx closes the upstream
/// connection when its client gives up (499), and the parked request is then freed at once.
final class DisconnectWatch: @unchecked Sendable {
    private let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
    private let watched = Mutex<(byID: [UInt64: Responder], next: UInt64)>(([:], 0))
    let abandoned = Atomic<Int>(0)

    var count: Int { watched.withLock { $0.byID.count } }

    func start() {
        let thread = Thread { [self] in
            var ids = [UInt64](repeating: 0, count: 256)
            while true {
                let count = Int(sonic_epoll_wait(epoll, &ids, Int32(ids.count), 1_000))
                guard count > 0 else { continue }
                for id in ids[..<count] {
                    guard let responder = watched.withLock({ $0.byID.removeValue(forKey: id) }) else { continue }
                    if responder.abandon() { abandoned.add(1, ordering: .relaxed) }
                }
            }
        }
        thread.name = "fcgi-disconnects"
        thread.start()
    }

    func watch(_ responder: Responder) {
        let id = watched.withLock { state -> UInt64 in
            state.next += 1
            state.byID[state.next] = responder
            return state.next
        }
        responder.watch.withLock { $0 = (self, id) }
        // Under the responder's lock, so an answer on another thread cannot close the
        // descriptor (and let its number be reused) while it is being added.
        let added = responder.whileParked { fd in sonic_epoll_watch(epoll, fd, id) == 0 } ?? false
        if !added { forget(id) }  // answered meanwhile, or epoll refused: nothing to watch
    }

    func forget(_ id: UInt64) {
        _ = watched.withLock { $0.byID.removeValue(forKey: id) }
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
