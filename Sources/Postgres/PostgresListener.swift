import Dispatch

/// `LISTEN` on a connection of its own: the notifications of its channels as an `AsyncStream`.
/// When the connection drops (the server restarted, or killed it) it connects again, with a
/// growing pause (0.05 s doubling to 2 s), listens again and says so with `.reconnected`:
/// notifications sent while it was away are lost, so a caller does its catch-up read then.
public final class PostgresListener: @unchecked Sendable {
    public enum Event: Sendable, Equatable {
        /// Listening for the first time: notifications from now on are delivered.
        case listening
        /// Listening again after the connection dropped: read what may have been missed.
        case reconnected
        case notification(channel: String, payload: String)
    }

    public let channels: [String]
    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let pool: PostgresPool

    // Touched on the loop's thread only.
    private var connection: PostgresConnection?
    private var stopped = false
    private var listened = false
    private var pause = 0.05

    /// At most this many buffered events; beyond it the oldest are dropped (a reader that falls
    /// this far behind must do a catch-up read anyway).
    public static let bufferedEvents = 10_000

    init(pool: PostgresPool, channels: [String]) {
        self.pool = pool
        self.channels = channels
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(Self.bufferedEvents))
    }

    /// Closes its connection and ends the stream (the pool's `stop` closes the connection too,
    /// but only this ends the stream).
    public func stop() {
        let accepted = pool.loop.execute { [self] in
            stopped = true
            if let connection { pool.closeDedicated(connection) }
            connection = nil
            continuation.finish()
        }
        if !accepted { continuation.finish() }
    }

    /// The server process of its connection now (`pg_backend_pid()`), 0 while it is away.
    public func backendPID() async -> Int32 {
        await withCheckedContinuation { continuation in
            let accepted = pool.loop.execute { [self] in continuation.resume(returning: connection?.backendPID ?? 0) }
            if !accepted { continuation.resume(returning: 0) }
        }
    }

    func start() {
        pool.loop.execute { [self] in connect() }
    }

    private func connect() {
        guard !stopped else { return }
        pool.openDedicated { [self] opened in
            guard case .success(let connection) = opened else { return retry() }
            guard !stopped else { return pool.closeDedicated(connection) }
            self.connection = connection
            connection.onNotification = { [continuation] channel, payload in
                continuation.yield(.notification(channel: channel, payload: payload))
            }
            let script = channels.map { "LISTEN \"\($0)\"" }.joined(separator: "; ")
            pool.runDedicated(script, [], simple: true, on: connection) { [self] outcome in
                guard case .success = outcome, connection.phase == .idle else {
                    pool.closeDedicated(connection)
                    return retry()
                }
                connection.onBroken = { [weak self] _ in self?.retry() }
                continuation.yield(listened ? .reconnected : .listening)
                listened = true
                pause = 0.05
            }
        }
    }

    private func retry() {
        if let connection { pool.closeDedicated(connection) }
        connection = nil
        guard !stopped else { return }
        pool.loop.schedule(at: DispatchTime.now().uptimeNanoseconds + UInt64(pause * 1e9)) { [weak self] in self?.connect() }
        pause = min(pause * 2, 2)
    }
}

extension PostgresPool {
    /// The longest channel name PostgreSQL keeps (an identifier: 63 bytes).
    public static let maxChannelBytes = 63

    /// Listens to `channels` (1 to 64 names of letters, digits and `_`, not starting with a
    /// digit) on a connection of its own; read `events`, and `stop()` it when done.
    /// - Throws: `.badInput` naming a channel that is not such a name.
    public func listen(to channels: [String]) throws(PostgresError) -> PostgresListener {
        guard (1...64).contains(channels.count) else {
            throw PostgresError(.badInput, "listen to 1 to 64 channels, not \(channels.count)")
        }
        for channel in channels {
            let bytes = Array(channel.utf8)
            let valid = (1...Self.maxChannelBytes).contains(bytes.count) && !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[0])
                && bytes.allSatisfy { $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            guard valid else {
                throw PostgresError(.badInput, "channel \"\(channel.prefix(80))\" is not a name of 1 to 63 lower-case letters, digits and _ (not starting with a digit)")
            }
        }
        let listener = PostgresListener(pool: self, channels: channels)
        listener.start()
        return listener
    }
}
