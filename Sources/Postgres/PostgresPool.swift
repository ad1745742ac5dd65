import Dispatch

/// The connections a process opens to one PostgreSQL database, driven by one thread of their
/// own (`PostgresLoop`). At most `maxConnections` are open; beyond them a call waits in a queue
/// of at most `maxQueued`, and beyond that it fails at once with `.overloaded`, so waiting
/// cannot grow without end behind a slow database. Every call is bounded by `queryTimeout` and by
/// the task's `Deadline`, time in the queue included; one that runs out fails with `.timeout`
/// (unsent if it never got a connection; its connection closed if it was running).
///
/// Callers `await`: no thread is held while the database answers.
public final class PostgresPool: @unchecked Sendable {
    public let url: PostgresURL
    public let maxConnections: Int
    public let maxQueued: Int
    public let connectTimeout: Double
    public let queryTimeout: Double
    let loop: PostgresLoop

    // Touched on the loop's thread only.
    private var idle: [PostgresConnection] = []
    /// Connections open or being opened, leased ones included.
    private var open = 0
    private var queue: [PostgresRequest] = []
    /// Every connection of the pool's own, open or being opened, idle or held.
    private var members: [ObjectIdentifier: PostgresConnection] = [:]
    /// Connections outside the bound, each held for one purpose (a listener, a lock), closed by `stop`.
    var dedicated: [ObjectIdentifier: PostgresConnection] = [:]

    /// - Parameters:
    ///   - url: `postgres://…`; its password never appears in errors or descriptions.
    ///   - maxConnections: connections this process opens at most.
    ///   - maxQueued: calls waiting for a connection beyond those; more are refused.
    ///   - connectTimeout: seconds to open a connection.
    ///   - queryTimeout: seconds for a whole call (waiting included), unless the deadline is sooner.
    ///   - threadName: its thread's name, as `ps -L` and /proc show it (at most 15 bytes).
    /// - Throws: `.badInput` for a URL that is not a postgres:// URL.
    public init(url: String, maxConnections: Int = 8, maxQueued: Int = 32, connectTimeout: Double = 5,
                queryTimeout: Double = 10, threadName: String = "pg-loop") throws(PostgresError) {
        self.url = try PostgresURL(url)
        self.maxConnections = max(1, maxConnections)
        self.maxQueued = max(0, maxQueued)
        self.connectTimeout = connectTimeout
        self.queryTimeout = queryTimeout
        loop = PostgresLoop(threadName: threadName)
    }

    /// Closes every connection and ends the pool's thread; calls waiting or in flight fail with
    /// `.cancelled`, and so do later ones. Returns once the thread has ended.
    public func stop() {
        loop.stop { [self] in
            let waiting = queue
            queue = []
            for request in waiting { finish(request, refusing: Self.stopped) }
            // Callers holding one (a statement running, a connection being opened) are told.
            for connection in Array(members.values) + dedicated.values { connection.close() }
            idle = []
            members = [:]
            dedicated = [:]
            idle = []
        }
    }

    /// Connections open now, and calls waiting for one (for tests and metrics).
    public func counts() async -> (open: Int, idle: Int, queued: Int) {
        await withCheckedContinuation { continuation in
            let accepted = loop.execute { [self] in continuation.resume(returning: (open, idle.count, queue.count)) }
            if !accepted { continuation.resume(returning: (0, 0, 0)) }
        }
    }

    /// Hands `request` to the loop: it is granted a connection, queued, or refused.
    func submit(_ request: PostgresRequest) {
        guard loop.execute({ [self] in admit(request) }) else { return request.refused(Self.stopped) }
    }

    static let stopped = PostgresError(.cancelled, "the database pool was stopped")

    private func admit(_ request: PostgresRequest) {
        guard case .new = request.place else { return }
        if let abandoned = request.abandoned { return finish(request, refusing: abandoned) }
        guard !request.hasExpired else { return finish(request, refusing: PostgresRequest.timedOut("waiting for a connection")) }
        request.timer = loop.schedule(at: request.expires) { [self] in expire(request) }
        if let connection = idle.popLast() { return grant(connection, to: request) }
        if open < maxConnections { return connect(for: request) }
        guard queue.count < maxQueued else {
            return finish(request, refusing: PostgresError(.overloaded, "all \(maxConnections) database connections are busy and \(maxQueued) calls wait; try again shortly"))
        }
        request.place = .queued
        queue.append(request)
    }

    private func connect(for request: PostgresRequest) {
        open += 1
        request.place = .connecting
        let connection = PostgresConnection(loop: loop, url: url)
        members[ObjectIdentifier(connection)] = connection
        let timer = loop.schedule(at: DispatchTime.now().uptimeNanoseconds + UInt64(connectTimeout * 1e9)) { [weak connection] in
            connection?.close(because: connection?.connectTimedOut)
        }
        connection.connect { [self] error in
            loop.cancelTimer(timer)
            if let error {
                members[ObjectIdentifier(connection)] = nil
                open -= 1
                if case .connecting = request.place { finish(request, refusing: error) }
                return serveQueue()
            }
            if case .connecting = request.place { grant(connection, to: request) } else { release(connection) }
        }
    }

    private func grant(_ connection: PostgresConnection, to request: PostgresRequest) {
        request.place = .holding(connection)
        connection.onBroken = nil
        request.whenGranted(connection)
    }

    /// Takes back a connection its holder is done with: idle again, or forgotten if it broke.
    func release(_ connection: PostgresConnection) {
        guard connection.phase == .idle else {
            if connection.phase != .closed { connection.close() }
            guard members.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
            open -= 1
            return serveQueue()
        }
        connection.onBroken = { [weak self, unowned connection] _ in
            guard let self, let index = idle.firstIndex(where: { $0 === connection }) else { return }
            idle.remove(at: index)
            members[ObjectIdentifier(connection)] = nil
            open -= 1
        }
        idle.append(connection)
        serveQueue()
    }

    /// The request is done with its connection (if it had one), which goes back to the pool.
    func done(_ request: PostgresRequest) {
        if let timer = request.timer { loop.cancelTimer(timer) }
        let place = request.place
        request.place = .done
        guard case .holding(let connection) = place else { return }
        // Given up while it held the connection: what state that is in is unknown (a transaction
        // left open, say), so it is not reused.
        if request.abandoned != nil || request.discard { connection.close() }
        release(connection)
    }

    /// Gives waiting calls the connections that are free, or opens new ones for them.
    private func serveQueue() {
        while !queue.isEmpty {
            if let connection = idle.popLast() {
                grant(connection, to: queue.removeFirst())
            } else if open < maxConnections {
                connect(for: queue.removeFirst())
            } else {
                return
            }
        }
    }

    private func expire(_ request: PostgresRequest) {
        request.timer = nil
        abandon(request, because: PostgresRequest.timedOut(request.isHolding ? "the database answered" : "waiting for a connection"))
    }

    /// Gives the request up wherever it is (loop thread): its time ran out or its task was cancelled.
    func abandon(_ request: PostgresRequest, because error: PostgresError) {
        request.abandoned = request.abandoned ?? error
        switch request.place {
        case .new, .done: return
        case .queued:
            queue.removeAll { $0 === request }
            finish(request, refusing: error)
        case .connecting:
            finish(request, refusing: error)
        case .holding(let connection):
            // Its statement, if one is running, fails (and is mapped to `abandoned` by the holder).
            if connection.phase == .busy { connection.close() }
        }
    }

    private func finish(_ request: PostgresRequest, refusing error: PostgresError) {
        if let timer = request.timer { loop.cancelTimer(timer) }
        request.timer = nil
        request.place = .done
        request.refused(error)
    }
}

extension PostgresRequest {
    var isHolding: Bool { if case .holding = place { true } else { false } }
}
