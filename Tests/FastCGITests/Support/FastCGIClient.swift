import Foundation

/// Just enough of the FastCGI protocol's client side (the part nginx plays) to test the
/// server over a real socket. See https://fastcgi-archives.github.io/FastCGI_Specification.html
struct FastCGIClient {
    struct Answer {
        let head: String
        let body: [UInt8]
    }

    let port: UInt16

    /// A new connection to the server; reads on it give up after 10 s rather than hang a test.
    func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Connects and sends a whole request; returns the open descriptor without reading.
    func openAndSend(params: [String: String], body: [UInt8] = []) throws -> Int32 {
        let fd = try connect()
        write(fd, params: params, body: body)
        return fd
    }

    /// Sends a whole request on `fd`; with `keepConnection` the server must leave the connection
    /// open for the next one (FCGI_KEEP_CONN, as nginx's fastcgi_keep_conn sends).
    func write(_ fd: Int32, params: [String: String], body: [UInt8] = [], keepConnection: Bool = false) {
        var out: [UInt8] = []
        out += record(type: 1, content: [0, 1, keepConnection ? 1 : 0, 0, 0, 0, 0, 0])  // BEGIN_REQUEST, responder
        var encoded: [UInt8] = []
        for (name, value) in params {
            encoded += length(name.utf8.count) + length(value.utf8.count) + Array(name.utf8) + Array(value.utf8)
        }
        out += record(type: 4, content: encoded) + record(type: 4, content: [])  // PARAMS
        var offset = 0
        while offset < body.count {
            let chunk = Array(body[offset..<min(body.count, offset + 65535)])
            out += record(type: 5, content: chunk)
            offset += chunk.count
        }
        out += record(type: 5, content: [])  // STDIN end
        _ = out.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    func send(params: [String: String], body: [UInt8] = []) throws -> Answer {
        let fd = try openAndSend(params: params, body: body)
        defer { close(fd) }
        return try readAnswer(fd)
    }

    /// Reads one answer from `fd`: its records up to END_REQUEST (or the connection's end).
    func readAnswer(_ fd: Int32) throws -> Answer {
        var received: [UInt8] = []
        var stdout: [UInt8] = []
        var ended = false
        var byte: [UInt8] = [0]
        while !ended {
            // A record at a time, so nothing of a next answer on a kept connection is consumed.
            var header: [UInt8] = []
            while header.count < 8 {
                let count = read(fd, &byte, 1)
                if count <= 0 { break }
                header.append(byte[0])
            }
            guard header.count == 8 else {
                if header.isEmpty && received.isEmpty { throw POSIXError(.ETIMEDOUT) }
                break
            }
            let contentLength = Int(header[4]) << 8 | Int(header[5])
            var content = [UInt8](repeating: 0, count: contentLength + Int(header[6]))
            var filled = 0
            while filled < content.count {
                let count = content.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
                if count <= 0 { throw POSIXError(.ECONNRESET) }
                filled += count
            }
            received += header + content
            if header[1] == 6 { stdout += content[..<contentLength] }
            ended = header[1] == 3
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let split = (0...(max(0, stdout.count - 4))).first(where: { Array(stdout[$0..<min(stdout.count, $0 + 4)]) == separator }) else {
            return Answer(head: String(decoding: stdout, as: UTF8.self), body: [])
        }
        return Answer(head: String(decoding: stdout[..<split], as: UTF8.self), body: Array(stdout[(split + 4)...]))
    }

    private func record(type: UInt8, content: [UInt8]) -> [UInt8] {
        [1, type, 0, 1, UInt8(content.count >> 8), UInt8(content.count & 0xff), 0, 0] + content
    }

    private func length(_ count: Int) -> [UInt8] {
        count < 128 ? [UInt8(count)] : [UInt8(0x80 | (count >> 24)), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)]
    }
}
