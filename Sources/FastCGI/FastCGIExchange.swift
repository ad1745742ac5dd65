import Foundation
import CFastCGI
import SonicHTTP

/// One accepted FastCGI request: reads its parameters and body, writes the response.
/// Only the thread that accepted the request touches it.
struct FastCGIExchange {
    let request: UnsafeMutablePointer<FCGX_Request>

    init(_ request: UnsafeMutablePointer<FCGX_Request>) { self.request = request }

    func parameter(_ name: String) -> String? {
        guard let value = FCGX_GetParam(name, request.pointee.envp) else { return nil }
        return String(cString: value)
    }

    /// HTTP headers from the `HTTP_*` parameters, names in lower case with dashes.
    func headers() -> [String: String] {
        var headers: [String: String] = [:]
        guard var cursor = request.pointee.envp else { return headers }
        while let entry = cursor.pointee {
            // "HTTP_USER_AGENT=curl": bytes, not Foundation, on this per-request path.
            if entry[0] == 0x48, entry[1] == 0x54, entry[2] == 0x54, entry[3] == 0x50, entry[4] == 0x5F {
                var name: [UInt8] = []
                var index = 5
                while entry[index] != 0 && entry[index] != 0x3D {
                    let byte = UInt8(bitPattern: entry[index])
                    name.append(byte == 0x5F ? 0x2D : (byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte))
                    index += 1
                }
                if entry[index] == 0x3D {
                    headers[String(decoding: name, as: UTF8.self)] = String(cString: entry + index + 1)
                }
            }
            cursor += 1
        }
        if let type = parameter("CONTENT_TYPE"), !type.isEmpty { headers["content-type"] = type }
        return headers
    }

    func readRequest(maxBody: Int) -> Result<Request, Problem> {
        let uri = parameter("DOCUMENT_URI") ?? parameter("SCRIPT_NAME") ?? "/"
        var incoming = Request(
            method: parameter("REQUEST_METHOD") ?? "GET",
            path: uri,
            query: parameter("QUERY_STRING") ?? "",
            headers: headers(),
            remoteAddress: parameter("REMOTE_ADDR") ?? "")
        let length = Int(parameter("CONTENT_LENGTH") ?? "") ?? 0
        guard length <= maxBody else {
            return .failure(Problem(status: 413, title: "Request body too large",
                                    detail: "the body has \(length) bytes; at most \(maxBody) are accepted"))
        }
        if length > 0 {
            var body = [UInt8](repeating: 0, count: length)
            let read = body.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: length) {
                    FCGX_GetStr($0, Int32(length), request.pointee.in)
                }
            }
            guard read == length else {
                return .failure(Problem(status: 400, title: "Incomplete body",
                                        detail: "expected \(length) bytes of body, got \(max(0, Int(read)))"))
            }
            incoming.body = body
        }
        return .success(incoming)
    }

    func write(_ response: Response) {
        var head = "Status: \(response.status) \(response.reasonPhrase)\r\n"
        for header in response.headers {
            head += "\(header.name): \(header.value)\r\n"
        }
        if let stream = response.stream {
            put(Array((head + "\r\n").utf8))
            stream { put($0) }
            return
        }
        head += "Content-Length: \(response.body.count)\r\n\r\n"
        put(Array(head.utf8))
        put(response.body)
    }

    private func put(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                _ = FCGX_PutStr($0, Int32(buffer.count), request.pointee.out)
            }
        }
    }
}
