import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Makes sure only one indexer writes to a database: an exclusive `flock` on
/// `<database>.sync-lock`, held for the life of the process (the kernel releases it when the
/// process dies, however it dies). The file holds the holder's pid for the error message.
public final class WriterLock {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock for the database at `databasePath`.
    /// - Throws: `WriterLockError.held` with the other process's pid when it is taken.
    public init(databasePath: String) throws(WriterLockError) {
        path = databasePath + ".sync-lock"
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            close(descriptor)
            let holder = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw .held(database: databasePath, pid: holder)
        }
        self.descriptor = descriptor
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
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
