import Foundation
import GRDB

/// The product's SQLite database: one file, WAL mode, many readers and one writer at a time.
public final class Store: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    /// - Throws: `StoreError` naming the file.
    public init(path: String) throws(StoreError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        }
        do {
            try Migrations.migrator.migrate(pool)
        } catch {
            throw .migrationFailed(path: path, reason: Self.reason(error))
        }
    }

    /// Checks that the file can be read: a query against the schema, not just an open handle.
    /// - Throws: `StoreError.unavailable` when SQLite cannot answer.
    public func ping() throws(StoreError) {
        do {
            _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// The applied migrations, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        do {
            return try pool.read { db in try Migrations.migrator.appliedMigrations(db) }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
