import CLibPQ
import Foundation

/// One libpq connection in non-blocking mode, driven by its loop's thread alone: connecting
/// (`PQconnectStart`/`PQconnectPoll`), sending a statement (`PQsendPrepare` and
/// `PQsendQueryPrepared`, `PQsendQueryParams`, `PQsendQuery`) and flushing it as the socket
/// takes it (`PQflush`), reading the answer as it arrives (`PQconsumeInput`, `PQisBusy`,
/// `PQgetResult`) and notifications (`PQnotifies`). One statement at a time; the pool sees to that.
/// Sendable only to be carried to its loop: everything in it is touched on that thread alone.
final class PostgresConnection: @unchecked Sendable {
    enum Phase { case connecting, idle, busy, closed }

    let loop: PostgresLoop
    let url: PostgresURL
    private(set) var phase = Phase.connecting
    private var connection: OpaquePointer?
    private var socket: Int32 = -1
    private var connected: ((PostgresError?) -> Void)?
    private var operation: PostgresOperation?
    /// Statements prepared on this connection, by their SQL; at most `maxStatements`.
    private var statements: [String: String] = [:]
    private static let maxStatements = 256

    /// Called for each `NOTIFY` the connection receives: the channel and the payload.
    var onNotification: ((String, String) -> Void)?
    /// Called once when the connection breaks (the server went away, or killed our backend).
    var onBroken: ((PostgresError) -> Void)?

    init(loop: PostgresLoop, url: PostgresURL) {
        self.loop = loop
        self.url = url
    }

    /// The server process serving this connection (`pg_backend_pid()`), 0 before it is connected.
    var backendPID: Int32 { connection.map { PQbackendPID($0) } ?? 0 }

    /// Starts connecting; `completion` gets nil once the connection is ready, or the error.
    /// Not bounded in time here: the caller closes it when it has waited long enough (`connectTimedOut`).
    func connect(_ completion: @escaping (PostgresError?) -> Void) {
        connection = PQconnectStart(url.text)
        guard let connection, PQstatus(connection) != CONNECTION_BAD else {
            let error = failure()
            close()
            return completion(error)
        }
        // Notices (and the server's farewell when it ends a session) are not printed on stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        connected = completion
        // Before the first PQconnectPoll, as if it had returned PGRES_POLLING_WRITING.
        rewatch(readable: false, writable: true)
    }

    /// Sends `operation`; its completion is called on the loop's thread with the result.
    func run(_ operation: PostgresOperation) {
        guard phase == .idle, let connection else {
            return operation.finish(.failure(PostgresError(.connection, "the connection to \(url.redacted) is closed")))
        }
        phase = .busy
        self.operation = operation
        let sent: Int32
        if operation.simple {
            sent = PQsendQuery(connection, operation.sql)
        } else if let name = statements[operation.sql] {
            sent = operation.send(to: connection, prepared: name)
        } else if statements.count < Self.maxStatements {
            let name = "s\(statements.count + 1)"
            operation.preparing = name
            sent = operation.prepare(on: connection, as: name)
        } else {
            sent = operation.send(to: connection, prepared: nil)
        }
        guard sent == 1 else { return broken(failure()) }
        flush()
    }

    /// Closes the connection; a statement in flight fails with `.cancelled` (or `error`), and the
    /// server is asked to stop it (a cancel request, sent from a Dispatch queue: `PQcancel` blocks).
    func close(because error: PostgresError? = nil) {
        if phase == .busy, let connection, let cancel = PQgetCancel(connection) {
            let request = CancelRequest(cancel)
            DispatchQueue.global().async { request.send() }
        }
        if socket >= 0 { loop.forget(socket) }
        socket = -1
        if let connection { PQfinish(connection) }
        connection = nil
        phase = .closed
        if let operation {
            self.operation = nil
            operation.finish(.failure(error ?? PostgresError(.cancelled, "the statement was given up and its connection closed")))
        }
        if let connected {
            self.connected = nil
            connected(error ?? PostgresError(.cancelled, "connecting to \(url.redacted) was given up"))
        }
    }

    /// What a caller that gave up connecting is told.
    var connectTimedOut: PostgresError {
        PostgresError(.connection, "\(url.redacted): no connection within the connect timeout")
    }

    /// The connection's error, scrubbed of the password.
    private func failure() -> PostgresError {
        let text = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
        let message = url.scrub(text.trimmingCharacters(in: .whitespacesAndNewlines))
        return PostgresError(.connection, "\(url.redacted): \(message.isEmpty ? "connection lost" : message)")
    }

    /// Watches the current socket again (it may change while connecting).
    private func rewatch(readable: Bool, writable: Bool) {
        guard let connection else { return }
        let current = PQsocket(connection)
        if socket >= 0, socket != current { loop.forget(socket) }
        socket = current
        guard current >= 0 else { return }
        loop.watch(current, readable: readable, writable: writable) { [weak self] events in self?.handle(events) }
    }

    private func handle(_ events: UInt32) {
        guard let connection else { return }
        if phase == .connecting { return pollConnect(connection) }
        if events & sonic_pq_event_writable() != 0, phase == .busy { flush() }
        guard phase != .closed, events & sonic_pq_event_readable() != 0 else { return }
        guard PQconsumeInput(connection) == 1 else { return broken(failure()) }
        deliverNotifications(connection)
        if phase == .busy { collect(connection) }
        if phase != .closed, PQstatus(connection) == CONNECTION_BAD { broken(failure()) }
    }

    private func pollConnect(_ connection: OpaquePointer) {
        switch PQconnectPoll(connection) {
        case PGRES_POLLING_READING: rewatch(readable: true, writable: false)
        case PGRES_POLLING_WRITING: rewatch(readable: false, writable: true)
        case PGRES_POLLING_OK:
            PQsetnonblocking(connection, 1)
            phase = .idle
            rewatch(readable: true, writable: false)
            let completion = connected
            connected = nil
            completion?(nil)
        default:
            let error = failure()
            let completion = connected
            connected = nil
            close()
            completion?(error)
        }
    }

    private func flush() {
        guard let connection else { return }
        switch PQflush(connection) {
        case 0: rewatch(readable: true, writable: false)
        case 1: rewatch(readable: true, writable: true)
        default: broken(failure())
        }
    }

    /// Takes every result that has arrived; when the statement's last has, finishes it.
    private func collect(_ connection: OpaquePointer) {
        while let operation, PQisBusy(connection) == 0 {
            guard let result = PQgetResult(connection) else { return finishStep(operation, on: connection) }
            operation.take(result, url: url)
            PQclear(result)
        }
    }

    private func finishStep(_ operation: PostgresOperation, on connection: OpaquePointer) {
        if let name = operation.preparing {
            operation.preparing = nil
            if operation.error == nil {
                statements[operation.sql] = name
                guard operation.send(to: connection, prepared: name) == 1 else { return broken(failure()) }
                return flush()
            }
        }
        if let state = operation.error?.sqlState, state == "26000" || state == "0A000" { statements[operation.sql] = nil }
        self.operation = nil
        phase = .idle
        operation.complete()
    }

    private func deliverNotifications(_ connection: OpaquePointer) {
        while let notice = PQnotifies(connection) {
            let channel = String(cString: notice.pointee.relname)
            let payload = String(cString: notice.pointee.extra)
            PQfreemem(notice)
            onNotification?(channel, payload)
        }
    }

    private func broken(_ error: PostgresError) {
        let operation = self.operation
        self.operation = nil
        if socket >= 0 { loop.forget(socket) }
        socket = -1
        if let connection { PQfinish(connection) }
        connection = nil
        phase = .closed
        operation?.finish(.failure(error))
        let handler = onBroken
        onBroken = nil
        handler?(error)
    }
}

/// A `PGcancel`: independent of its connection, so it may be sent after that is closed.
private final class CancelRequest: @unchecked Sendable {
    private let cancel: OpaquePointer

    init(_ cancel: OpaquePointer) { self.cancel = cancel }

    deinit { PQfreeCancel(cancel) }

    func send() {
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &message, Int32(message.count))
    }
}
