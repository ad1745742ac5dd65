import SonicHTTP

/// What FastCGI's parameters mean as a `Request`, and a `Response` as the CGI head FastCGI
/// sends before the body: the per-request translation, apart from libfcgi's streams (so
/// sonic-bench can measure it).
public enum FastCGIMapping {
    /// libfcgi's parameters: a null-terminated array of `NAME=value` C strings.
    public typealias Parameters = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    /// The value of parameter `name`, if present.
    public static func parameter(_ name: String, in parameters: Parameters) -> String? {
        var cursor = parameters
        while let entry = cursor.pointee {
            if let value = value(of: entry, named: name) { return value }
            cursor += 1
        }
        return nil
    }

    private static func value(of entry: UnsafeMutablePointer<CChar>, named name: String) -> String? {
        var index = 0
        for byte in name.utf8 {
            guard UInt8(bitPattern: entry[index]) == byte else { return nil }
            index += 1
        }
        return entry[index] == 0x3D ? String(cString: entry + index + 1) : nil
    }

    /// The request the parameters describe, without its body (which follows on the stream).
    /// - Throws: `Problem` 400 when `REQUEST_METHOD` is not an HTTP token (RFC 9110).
    public static func request(_ parameters: Parameters) throws(Problem) -> Request {
        let text = parameter("REQUEST_METHOD", in: parameters) ?? "GET"
        guard let method = HTTPRequest.Method(text) else {
            throw Problem(status: 400, title: "Invalid method", detail: "the request method is not an HTTP token (RFC 9110)")
        }
        return Request(method: method,
                       path: parameter("DOCUMENT_URI", in: parameters) ?? parameter("SCRIPT_NAME", in: parameters) ?? "/",
                       query: parameter("QUERY_STRING", in: parameters) ?? "",
                       headers: headers(parameters),
                       remoteAddress: parameter("REMOTE_ADDR", in: parameters) ?? "")
    }

    /// HTTP header fields from the `HTTP_*` parameters (`HTTP_USER_AGENT` is `user-agent`);
    /// a name that is not an HTTP token is left out.
    static func headers(_ parameters: Parameters) -> HTTPFields {
        var headers = HTTPFields()
        var cursor = parameters
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
                if entry[index] == 0x3D, let field = HTTPField.Name(String(decoding: name, as: UTF8.self)) {
                    headers.append(HTTPField(name: field, value: String(cString: entry + index + 1)))
                }
            }
            cursor += 1
        }
        if let type = parameter("CONTENT_TYPE", in: parameters), !type.isEmpty { headers[.contentType] = type }
        return headers
    }

    /// The CGI head of `response`: its `Status` line and headers, with `Content-Length` unless
    /// the body is streamed, and the blank line that ends the head.
    public static func head(of response: Response) -> [UInt8] {
        var head = "Status: \(response.status.code) \(response.reasonPhrase)\r\n"
        for field in response.headers {
            head += "\(field.name.rawName): \(field.value)\r\n"
        }
        if response.stream == nil { head += "Content-Length: \(response.body.count)\r\n" }
        return Array((head + "\r\n").utf8)
    }
}
