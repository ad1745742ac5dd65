import CFastCGI
import Foundation
import SonicHTTP
import Synchronization

/// A multi-threaded FastCGI responder on libfcgi, driven by epoll.
///
/// The worker threads wait together in `epoll_wait` for the listening socket and for every
/// connection nginx holds open between requests; whichever thread is woken reads and answers
/// that request, then hands the connection back to epoll. So a connection nginx keeps idle
/// holds no thread (nginx keeps up to 128 per worker), and the thread count only needs to cover
/// the requests handled at once. Each descriptor is armed for one report at a time
/// (`EPOLLONESHOT`): exactly one thread owns a connection while its request is served.
/// `stop()` wakes every thread through an eventfd; requests in flight are finished.
public final class FastCGIServer: @unchecked Sendable {
    /// Answers a request by calling the closure exactly once: at once, or later from any
    /// thread (a parked long-poll). The request waits without holding a thread.
    public typealias Handler = @Sendable (Request, @escaping @Sendable (Response) -> Void) -> Void

    public let address: String
    public let threads: Int
    private let handler: Handler
    /// The largest body read for a request (known by its method, path and headers).
    private let bodyLimit: @Sendable (Request) -> Int
    private var socket: Int32 = -1
    private var epoll: Int32 = -1
    /// Written once by `stop()`; level-triggered, so it wakes every waiting thread.
    private var wake: Int32 = -1
    private let finished = DispatchGroup()
    private let stopping = Atomic<Bool>(false)
    /// By descriptor: 1 while the connection waits in epoll for its next request. Only the
    /// connection's current owner writes its byte (the thread serving it, before handing it to
    /// epoll or after taking it back), and epoll's calls order those writes; `stop()` reads them
    /// after every thread has ended, to close the idle connections.
    private var idle: UnsafeMutablePointer<UInt8>?
    private var idleCapacity = 0
    /// Finds parked requests whose client went away.
    let disconnects = DisconnectWatch()

    /// Requests parked now (answered later, or freed when their client disconnects).
    public var parkedCount: Int { disconnects.count }

    /// - Parameters:
    ///   - address: `host:port`, `:port` or a Unix socket path.
    ///   - threads: worker threads: the requests handled at once (a parked one holds none).
    ///   - maxBody: largest request body read; larger ones are answered 413.
    public convenience init(address: String, threads: Int, maxBody: Int = 16 << 20, handler: @escaping Handler) {
        self.init(address: address, threads: threads, bodyLimit: { _ in maxBody }, handler: handler)
    }

    /// - Parameter bodyLimit: the largest body read for a request, given its method, path and
    ///   headers: a larger one is answered 413 and never held in memory.
    public init(address: String, threads: Int, bodyLimit: @escaping @Sendable (Request) -> Int, handler: @escaping Handler) {
        self.address = address
        self.threads = threads
        self.bodyLimit = bodyLimit
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
        let files = sonic_raise_nofile_limit()
        socket = try ListeningSocket.open(address, backlog: 4096)
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)  // accepted until EAGAIN
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wake = sonic_eventfd()
        guard epoll >= 0, wake >= 0, sonic_epoll_arm(epoll, socket, 1) == 0, sonic_epoll_add(epoll, wake) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            socket = -1
            throw .cannotListen(address: address, reason: "epoll: \(reason)")
        }
        idleCapacity = files > 0 ? Int(min(files, 1 << 20)) : 65_536
        idle = UnsafeMutablePointer<UInt8>.allocate(capacity: idleCapacity)
        idle!.initialize(repeating: 0, count: idleCapacity)
        disconnects.start()
        for index in 0..<threads {
            finished.enter()
            let thread = Thread { [self] in
                nameThread("fcgi-\(index)")
                self.serve()
                self.finished.leave()
            }
            thread.stackSize = 512 << 10
            thread.start()
        }
    }

    /// Stops accepting, lets requests in flight finish, closes the connections nginx kept
    /// idle, and returns when every thread has ended.
    public func stop() {
        guard socket >= 0 else { return }
        stopping.store(true, ordering: .sequentiallyConsistent)
        var one: UInt64 = 1
        _ = write(wake, &one, 8)
        finished.wait()
        disconnects.stop()
        if let idle {
            for fd in 0..<idleCapacity where idle[fd] != 0 {
                shutdown(Int32(fd), Int32(SHUT_RDWR))
                close(Int32(fd))
            }
            idle.deallocate()
            self.idle = nil
        }
        close(socket)
        close(epoll)
        close(wake)
        socket = -1
    }

    private func serve() {
        var request = Self.newRecord()
        var ready: UInt64 = 0
        while true {
            let count = sonic_epoll_wait(epoll, &ready, 1, -1)
            guard count > 0 else {
                if count < 0 && errno != EINTR { break }
                continue
            }
            let fd = Int32(truncatingIfNeeded: ready)
            if fd == wake { break }
            if fd == socket {
                if stopping.load(ordering: .sequentiallyConsistent) { continue }
                acceptWaiting()
            } else if serve(fd, record: request) {
                request = Self.newRecord()  // the parked record now belongs to its responder
            }
        }
        request.deallocate()
    }

    /// Accepts every connection waiting on the listening socket and hands each to epoll.
    private func acceptWaiting() {
        while true {
            let fd = sonic_accept(socket)
            if fd >= 0 {
                guard Int(fd) < idleCapacity else {
                    close(fd)
                    continue
                }
                idle![Int(fd)] = 1
                if sonic_epoll_arm(epoll, fd, 1) != 0 {
                    idle![Int(fd)] = 0
                    close(fd)
                }
                continue
            }
            if errno == EINTR || errno == ECONNABORTED { continue }
            if errno == EMFILE || errno == ENFILE {
                // Out of descriptors: let parked requests finish before trying again.
                usleep(10_000)
            }
            break
        }
        _ = sonic_epoll_arm(epoll, socket, 0)
    }

    /// Serves the request waiting on connection `fd` with `record`. Returns true when the
    /// request was parked: the record then belongs to its responder.
    private func serve(_ fd: Int32, record request: UnsafeMutablePointer<FCGX_Request>) -> Bool {
        idle![Int(fd)] = 0
        // The record reads this connection: kept open by the finish `FCGX_Accept_r` starts
        // with, and never sent to accept on its own (its listening socket is -1).
        request.pointee.ipcFd = fd
        request.pointee.keepConnection = 1
        // Readable with nothing to read (nginx closed a connection it kept) or a protocol error:
        // libfcgi closes the connection and, with no listening socket, returns an error.
        guard FCGX_Accept_r(request) >= 0 else { return false }
        let exchange = FastCGIExchange(request)
        let responder = Responder(exchange) { [unowned self] fd in self.takeBack(fd) }
        switch exchange.readRequest(bodyLimit: bodyLimit) {
        case .failure(let problem): responder.respond(.problem(problem))
        case .success(let incoming): handler(incoming) { response in responder.respond(response) }
        }
        if responder.handlerReturned() {
            // Parked: the connection leaves this set now (under the responder's lock, so it is
            // still open), rather than when it closes, which would slow a large wake.
            _ = responder.whileParked { fd in sonic_epoll_forget(epoll, fd) }
            disconnects.watch(responder)
            return true
        }
        // Answered: a connection nginx keeps goes back to epoll for its next request.
        let kept = request.pointee.ipcFd
        if kept >= 0 {
            if stopping.load(ordering: .sequentiallyConsistent) {
                FCGX_Free(request, 1)
            } else {
                rearm(kept)
            }
        }
        return false
    }

    /// A parked request was answered on another thread, its connection kept: the connection
    /// comes back to epoll for nginx's next request on it. False when stopping, or when epoll
    /// refuses it: the caller closes it then.
    private func takeBack(_ fd: Int32) -> Bool {
        guard !stopping.load(ordering: .sequentiallyConsistent), Int(fd) < idleCapacity, let idle else { return false }
        idle[Int(fd)] = 1
        guard sonic_epoll_arm(epoll, fd, 1) == 0 else {
            idle[Int(fd)] = 0
            return false
        }
        return true
    }

    private func rearm(_ fd: Int32) {
        idle![Int(fd)] = 1
        if sonic_epoll_arm(epoll, fd, 0) != 0 {
            idle![Int(fd)] = 0
            close(fd)
        }
    }

    private static func newRecord() -> UnsafeMutablePointer<FCGX_Request> {
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        FCGX_InitRequest(request, -1, 0)
        return request
    }
}

/// Owns one accepted request until it is answered, on whichever thread that happens.
///
/// The rule: only the holder of the lock in state `.handling` or `.parked` may touch the
/// request. Answered inline, the record stays with the accepting thread, which reuses it (and
/// its kept-alive connection). Answered after its handler returned (parked), its record is
/// freed and its connection handed back to the server's epoll (`takeBack`), since nginx keeps
/// upstream connections and would send its next request on one we closed (and count the reset
/// as the server failing); only when the server is stopping is it closed, detached so the close
/// does not wait for nginx.
final class Responder: @unchecked Sendable {
    enum State { case handling, parked, done }

    let exchange: FastCGIExchange
    private let state = Mutex<State>(.handling)
    /// Set while a `DisconnectWatch` watches the parked request.
    let watch = Mutex<(DisconnectWatch, UInt64)?>(nil)
    /// Gives a parked request's kept connection back to the server; false when it cannot.
    private let takeBack: @Sendable (Int32) -> Bool

    init(_ exchange: FastCGIExchange, takeBack: @escaping @Sendable (Int32) -> Bool) {
        self.exchange = exchange
        self.takeBack = takeBack
    }

    func respond(_ response: Response) {
        let watched = watch.withLock { $0.take() }
        state.withLock { state in
            guard state != .done else { return }
            let parked = state == .parked
            let fd = exchange.request.pointee.ipcFd
            // Out of the disconnect watch's set before the connection carries a next request.
            if let (watcher, id) = watched { watcher.forget(id, fd: parked ? fd : -1) }
            let keep = parked && exchange.request.pointee.keepConnection != 0
            if parked && !keep { FCGX_Detach(exchange.request) }
            exchange.write(response)
            FCGX_Finish_r(exchange.request)  // with keepConnection set, the descriptor stays open
            if parked {
                exchange.request.deallocate()
                if keep && fd >= 0 && !takeBack(fd) {
                    shutdown(fd, Int32(SHUT_RDWR))
                    close(fd)
                }
            }
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

/// An epoll thread over the descriptors of parked requests: nginx closes the upstream
/// connection when its client gives up (499), and the parked request is then freed at once.
final class DisconnectWatch: @unchecked Sendable {
    private let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
    private let watched = Mutex<(byID: [UInt64: Responder], next: UInt64)>(([:], 0))
    let abandoned = Atomic<Int>(0)
    /// Written by `stop()`; watched under `stopID`, which no responder's id reaches.
    private let stopEvent = sonic_eventfd()
    private static let stopID = UInt64.max
    /// Signalled by the thread as it ends.
    private let ended = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    var count: Int { watched.withLock { $0.byID.count } }

    func start() {
        guard started.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
        _ = sonic_epoll_watch(epoll, stopEvent, Self.stopID)
        let thread = Thread { [self] in
            nameThread("fcgi-disconnect")
            defer { ended.signal() }
            var ids = [UInt64](repeating: 0, count: 256)
            while true {
                let count = Int(sonic_epoll_wait(epoll, &ids, Int32(ids.count), -1))
                guard count > 0 else { continue }
                for id in ids[..<count] {
                    if id == Self.stopID { return }
                    guard let responder = watched.withLock({ $0.byID.removeValue(forKey: id) }) else { continue }
                    if responder.abandon() { abandoned.add(1, ordering: .relaxed) }
                }
            }
        }
        thread.start()
    }

    /// Ends the thread and returns once it has ended; parked requests are no longer watched. Once
    /// stopped, the watch does not start again (its stop event stays readable).
    func stop() {
        guard started.load(ordering: .sequentiallyConsistent),
              stopped.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
        var one: UInt64 = 1
        _ = write(stopEvent, &one, 8)
        ended.wait()
    }

    deinit {
        close(epoll)
        close(stopEvent)
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

    /// Stops watching the request `id`; and its descriptor `fd`, when it stays open (-1: none).
    func forget(_ id: UInt64, fd: Int32 = -1) {
        _ = watched.withLock { $0.byID.removeValue(forKey: id) }
        if fd >= 0 { _ = sonic_epoll_forget(epoll, fd) }
    }
}

/// Names the calling thread as `ps -L`, `top -H` and /proc show it (at most 15 bytes; Foundation's
/// `Thread.name` is its own only).
func nameThread(_ name: String) {
    try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
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
