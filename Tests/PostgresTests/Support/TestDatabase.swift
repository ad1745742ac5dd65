import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

/// The database the test run started (`scripts/run-tests.sh swift` sets SONIC_TEST_DATABASE_URL
/// to a PostgreSQL 15 server of its own); without it these suites are skipped, saying so.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["SONIC_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static let skipMessage: Comment = "SONIC_TEST_DATABASE_URL is unset: run scripts/run-tests.sh swift (make test), which starts PostgreSQL"

    static var isAvailable: Bool { url != nil }

    static func pool(maxConnections: Int = 4, maxQueued: Int = 64, queryTimeout: Double = 10,
                     threadName: String = "pg-test") throws -> PostgresPool {
        try PostgresPool(url: url!, maxConnections: maxConnections, maxQueued: maxQueued, queryTimeout: queryTimeout,
                         threadName: threadName)
    }

    /// The test database's URL with `database` in place of its database (and `password` added).
    static func url(database: String, password: String? = nil, port: Int? = nil) -> String {
        var parts = URLComponents(string: url!)!
        parts.path = "/" + database
        if let password { parts.password = password; if parts.user == nil { parts.user = "postgres" } }
        if let port { parts.port = port }
        return parts.string!
    }

    /// A name no other test uses: tables, channels, databases.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// Events of a listener, collected as they come, for `eventually` to look at.
final class EventRecorder: Sendable {
    private let events = Mutex<[PostgresListener.Event]>([])

    init(_ listener: PostgresListener) {
        Task.detached(executorPreference: QueueExecutor.shared) { [weak self] in
            for await event in listener.events { self?.events.withLock { $0.append(event) } }
        }
    }

    var all: [PostgresListener.Event] { events.withLock { $0 } }
    func count(of event: PostgresListener.Event) -> Int { all.filter { $0 == event }.count }
}
