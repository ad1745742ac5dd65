import FastCGI
import Foundation
import SonicAPI
import SonicApp
import SonicConfig
import SonicHTTP
import SonicStore

/// The whole per-request path of a cached balance inside sonic-fcgi, without sockets: FastCGI
/// parameters (as nginx sends them) into a `Request`, routing and admission, the answer from
/// the in-memory cache, the `Response` and its CGI head framed into FastCGI stdout records.
struct RequestPathBenchmarks {
    let seconds: Double

    static let address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

    func run(into table: inout BenchTable) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-request-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("sonic.sqlite").path
        // The balance sonic-fcgi has cached (L2, then L1 after the first request), fresh for an hour.
        let snapshot = """
            {"address":"\(Self.address)","network":"devnet","block":123456,"native":{"symbol":"S","decimals":18,\
            "balance":"1234500000000000000","formatted":"1.2345"},"tokens":[],"fetchedAt":\(Date().timeIntervalSince1970)}
            """
        try Store(path: path).cache("balance:devnet:\(Self.address.lowercased()):", Array(snapshot.utf8), at: Date())
        let api = API(app: App(configuration: try Configuration(environment: [
            "SONIC_DB_PATH": path, "SONIC_RPC_URLS": "http://127.0.0.1:9", "SONIC_RATE_LIMIT_PER_MINUTE": "1000000000",
            "SONIC_BALANCE_TTL": "3600", "SONIC_DEPLOYMENTS_DIR": folder.path, "SONIC_KNOWLEDGE_DIR": folder.path,
        ])))
        // nginx's fastcgi_params for `GET /api/balance/{address}` from a browser.
        let parameters: [String] = [
            "QUERY_STRING=", "REQUEST_METHOD=GET", "CONTENT_TYPE=", "CONTENT_LENGTH=",
            "SCRIPT_NAME=/api/balance/\(Self.address)", "REQUEST_URI=/api/balance/\(Self.address)",
            "DOCUMENT_URI=/api/balance/\(Self.address)", "DOCUMENT_ROOT=/srv/dist", "SERVER_PROTOCOL=HTTP/1.1",
            "REQUEST_SCHEME=http", "GATEWAY_INTERFACE=CGI/1.1", "SERVER_SOFTWARE=nginx/1.22.1", "REMOTE_ADDR=127.0.0.1",
            "REMOTE_PORT=51234", "SERVER_ADDR=127.0.0.1", "SERVER_PORT=8080", "SERVER_NAME=localhost", "REDIRECT_STATUS=200",
            "HTTP_HOST=127.0.0.1:8080", "HTTP_USER_AGENT=Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "HTTP_ACCEPT=application/json", "HTTP_ACCEPT_LANGUAGE=en-GB,en;q=0.5", "HTTP_ACCEPT_ENCODING=gzip, deflate, br",
            "HTTP_REFERER=http://127.0.0.1:8080/", "HTTP_CONNECTION=keep-alive",
        ]
        let environment = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: parameters.count + 1)
        for (index, parameter) in parameters.enumerated() { environment[index] = strdup(parameter) }
        environment[parameters.count] = nil
        defer {
            for index in parameters.indices { free(environment[index]) }
            environment.deallocate()
        }
        let output = Output()
        let first = try Self.answer(environment, api: api, into: output)
        guard first.status == 200, output.bytes.count > 200 else { throw BenchFailure("the cached balance answered \(first.status)") }
        let perSecond = measure(seconds: seconds) { _ = try? Self.answer(environment, api: api, into: output) }
        table.add("cached balance, FastCGI params to records (per s)", format(perSecond))
        table.add("cached balance, FastCGI params to records (µs)", format(1e6 / perSecond, decimals: 2))
        // What the balance cache keeps from being done per request: the document through JSONEncoder.
        let document = BalanceService.Document(try JSONDecoder().decode(BalanceService.Snapshot.self, from: Data(snapshot.utf8)))
        let encodings = measure(seconds: seconds) { _ = document.encoded() }
        table.add("balance document through JSONEncoder (µs)", format(1e6 / encodings, decimals: 2))
    }

    /// One request: what FastCGIServer does with it, the socket aside.
    static func answer(_ environment: FastCGIMapping.Parameters, api: API, into output: Output) throws -> Response {
        let request = try FastCGIMapping.request(environment)
        let box = Output.Box()
        api.handle(request) { box.response = $0 }
        let response = box.response!
        output.bytes.removeAll(keepingCapacity: true)
        output.record(FastCGIMapping.head(of: response))
        output.record(response.body)
        return response
    }

    /// FastCGI stdout records as libfcgi frames them: an 8-byte header per at most 65,535 bytes.
    final class Output: @unchecked Sendable {
        var bytes: [UInt8] = []

        func record(_ content: [UInt8]) {
            var start = 0
            while start < content.count {
                let length = min(65_535, content.count - start)
                bytes += [1, 6, 0, 1, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0]
                bytes += content[start..<(start + length)]
                start += length
            }
        }

        final class Box: @unchecked Sendable { var response: Response? }
    }
}
