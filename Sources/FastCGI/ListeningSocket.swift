import Foundation

/// Opens the socket nginx connects to. We open it ourselves rather than with
/// `FCGX_OpenSocket`, which calls `exit()` when the address is taken.
enum ListeningSocket {
    /// - Parameter address: `host:port`, `:port` (loopback) or a Unix socket path (contains `/`).
    /// - Returns: a listening descriptor for `FCGX_InitRequest`.
    /// - Throws: `FastCGIError.cannotListen` with the system's reason.
    static func open(_ address: String, backlog: Int32) throws(FastCGIError) -> Int32 {
        if address.contains("/") { return try openUnix(address, backlog: backlog) }
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw .cannotListen(address: address, reason: "expected host:port, :port or a socket path")
        }
        let host = address[..<colon].isEmpty ? "127.0.0.1" : String(address[..<colon])
        var ipv4 = sockaddr_in()
        ipv4.sin_family = sa_family_t(AF_INET)
        ipv4.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &ipv4.sin_addr) == 1 else {
            throw .cannotListen(address: address, reason: "\"\(host)\" is not an IPv4 address")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .cannotListen(address: address, reason: lastError()) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &ipv4) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return try listenOrClose(fd, bound: bound, address: address, backlog: backlog)
    }

    private static func openUnix(_ path: String, backlog: Int32) throws(FastCGIError) -> Int32 {
        var unixAddress = sockaddr_un()
        unixAddress.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: unixAddress.sun_path) else {
            throw .cannotListen(address: path, reason: "socket path longer than 107 bytes")
        }
        withUnsafeMutableBytes(of: &unixAddress.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        unlink(path)  // a stale socket file from an earlier run
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .cannotListen(address: path, reason: lastError()) }
        let bound = withUnsafePointer(to: &unixAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return try listenOrClose(fd, bound: bound, address: path, backlog: backlog)
    }

    private static func listenOrClose(_ fd: Int32, bound: Int32, address: String, backlog: Int32) throws(FastCGIError) -> Int32 {
        guard bound == 0, listen(fd, backlog) == 0 else {
            let reason = lastError()
            close(fd)
            throw .cannotListen(address: address, reason: reason)
        }
        return fd
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
