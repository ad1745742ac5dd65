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
        // One process opens and migrates at a time (the lock creates the folder too). GRDB reads which migrations were applied
        // outside any transaction, so two processes opening the file at once (sonic-fcgi and
        // sonic-sync at start) would both run a pending one and the second would fail; and
        // SQLite answers "database is locked" to a second switch of a new file to WAL.
        let lock: FileLock
        do { lock = try FileLock(path: path + ".open-lock", wait: true) } catch { throw .cannotOpen(path: path, reason: error.description) }
        defer { lock.release() }
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
        _ = try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
    }

    /// The applied migrations, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try Migrations.migrator.appliedMigrations(db) }
    }

    /// Copies the database to `destination` while it is in use (SQLite's online backup API:
    /// a consistent snapshot, writers are not stopped), then checks the copy's integrity.
    /// - Throws: `StoreError` naming the file that failed.
    public func backup(to destination: String) throws(StoreError) {
        do {
            if FileManager.default.fileExists(atPath: destination) {
                throw StoreError.unavailable(path: destination, reason: "the file exists; choose a new name")
            }
            let copy = try DatabaseQueue(path: destination)
            try pool.backup(to: copy)
            let check = try copy.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
            guard check == "ok" else { throw StoreError.unavailable(path: destination, reason: "integrity check: \(check ?? "no answer")") }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .unavailable(path: destination, reason: Self.reason(error))
        }
    }

    /// Runs `body` in a read transaction; a failure of SQLite is `.unavailable`, a stored value
    /// that does not convert stays the `.corruptValue` the record threw.
    /// `?, ?, …`: `count` placeholders for an `IN (…)` list.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw storeError(error) }
    }

    /// Runs `body` in a write transaction (all or nothing), with `read`'s errors.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw storeError(error) }
    }

    private func storeError(_ error: any Error) -> StoreError {
        (error as? StoreError) ?? .unavailable(path: path, reason: Self.reason(error))
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
