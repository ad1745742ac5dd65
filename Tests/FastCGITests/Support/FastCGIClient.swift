import Foundation

/// Just enough of the FastCGI protocol's client side (the part nginx plays) to test the
/// server over a real socket. See https://fastcgi-archives.github.io/FastCGI_Specification.html
struct FastCGIClient {
    struct Answer {
        let head: String
        let body: [UInt8]
    }

    let port: UInt16

    /// Connects and sends a whole request; returns the open descriptor without reading.
    func openAndSend(params: [String: String], body: [UInt8] = []) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        var out: [UInt8] = []
        out += record(type: 1, content: [0, 1, 0, 0, 0, 0, 0, 0])  // BEGIN_REQUEST, responder, no keep-alive
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
        _ = out.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return fd
    }

    func send(params: [String: String], body: [UInt8] = []) throws -> Answer {
        let fd = try openAndSend(params: params, body: body)
        defer { close(fd) }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        var stdout: [UInt8] = []
        var index = 0
        while index + 8 <= received.count {
            let type = received[index + 1]
            let contentLength = Int(received[index + 4]) << 8 | Int(received[index + 5])
            let padding = Int(received[index + 6])
            if type == 6 { stdout += received[(index + 8)..<(index + 8 + contentLength)] }
            index += 8 + contentLength + padding
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
