import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file beside a database (created, with its folder, if needed). The
/// kernel releases it when the file is closed — by `release()`, when the lock is freed, or when
/// the process ends, however it ends.
public final class FileLock {
    public let path: String
    private var descriptor: Int32

    /// Takes the lock on `path`: waits for any other holder (in this process or another), or
    /// with `wait` false throws `.held` with what the holder wrote in the file.
    public init(path: String, wait: Bool) throws(FileLockError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        while flock(descriptor, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let failure = errno
            defer { close(descriptor) }
            guard failure == EWOULDBLOCK else { throw .cannotOpen(path: path, reason: String(cString: strerror(failure))) }
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            throw .held(contents: count > 0 ? String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "")
        }
        self.descriptor = descriptor
    }

    /// Replaces the file's text (who holds the lock, for the `.held` error of others).
    public func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, bytes, bytes.count, 0)
    }

    /// Releases the lock now.
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

public enum FileLockError: Error, Sendable, CustomStringConvertible {
    /// Another holder has it; `contents` is what it wrote in the file.
    case held(contents: String)
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let contents): "the lock is held" + (contents.isEmpty ? "" : " (\(contents))")
        case .cannotOpen(let path, let reason): "cannot lock \(path): \(reason)"
        }
    }
}
