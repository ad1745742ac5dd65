import Foundation
import SonicStore

#if canImport(Glibc)
import Glibc
#endif

/// Makes sure only one indexer writes to a database: an exclusive `flock` on
/// `<database>.sync-lock`, held for the life of the process (the kernel releases it when the
/// process dies, however it dies). The file holds the holder's pid for the error message.
public final class WriterLock {
    public var path: String { lock.path }
    private let lock: FileLock

    /// Takes the lock for the database at `databasePath`.
    /// - Throws: `WriterLockError.held` with the other process's pid when it is taken.
    public init(databasePath: String) throws(WriterLockError) {
        do { lock = try FileLock(path: databasePath + ".sync-lock", wait: false) } catch {
            switch error {
            case .held(let pid): throw .held(database: databasePath, pid: pid.isEmpty ? "?" : pid)
            case .cannotOpen(let path, let reason): throw .cannotOpen(path: path, reason: reason)
            }
        }
        lock.write("\(getpid())\n")
    }
}

public enum WriterLockError: Error, Sendable, CustomStringConvertible {
    case held(database: String, pid: String)
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let database, let pid):
            "another sonic-sync (pid \(pid)) is already indexing \(database); stop it first, or set SONIC_DB_PATH to another database"
        case .cannotOpen(let path, let reason): "cannot open the lock file \(path): \(reason)"
        }
    }
}
