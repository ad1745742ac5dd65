import Foundation
import SonicConfig
import SonicHTTP
import Testing
import SonicStore
import SonicApp
@testable import SonicAPI

/// What no request may do: crash the process, or get a 500.
@Suite struct RobustnessTests {
    let app: API = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("robust-\(UUID().uuidString).sqlite").path
        return API(app: App(configuration: try! Configuration(environment: [
            "SONIC_RPC_URLS": "http://127.0.0.1:9", "SONIC_DB_PATH": path, "SONIC_RPC_TIMEOUT": "0.5", "SONIC_RATE_LIMIT_PER_MINUTE": "0",
        ])))
    }()

    /// Random and malformed paths, methods, headers and bodies; a fixed seed so a failure repeats.
    @Test func randomRequestsNeverCrashOrAnswer500() {
        var random = SeededRandom(seed: 20261127)
        let paths = ["/api/health", "/api/network", "/api/balance/", "/api/tx/prepare", "/api/tx/send", "/api/tx/track", "/api/tx/",
                     "/api/subscription/", "/api/subscription/prepare", "/api/auth/nonce", "/api/auth/verify", "/api/auth/logout",
                     "/api/auth/me", "/metrics", "/api/", "/api//tx", "/api/tx/prepare/extra", "/../etc/passwd", ""]
        // An empty or malformed method never reaches the API: FastCGI refuses it (FastCGIServerTests).
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .head, .patch, HTTPRequest.Method("PROPFIND")!]
        let fragments = ["0x", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "1.5", "-1", "{", "}", "\"", "[", "null", "true",
                         "\u{FFFD}", "%00", "\u{0}", "\"from\":", "\"amount\":\"1e999\"", String(repeating: "9", count: 200), "😀"]
        var statuses: [Int: Int] = [:]
        for _ in 0..<3000 {
            var path = paths[random.next(paths.count)]
            if random.next(2) == 0 { path += fragments[random.next(fragments.count)] }
            let body = (0..<random.next(6)).map { _ in fragments[random.next(fragments.count)] }.joined()
            var bytes = Array(body.utf8)
            if random.next(5) == 0 { bytes += [0xff, 0xfe, 0xc3] }  // invalid UTF-8
            let headers: [String: String] = random.next(2) == 0 ? ["content-type": "application/json"]
                : ["content-type": fragments[random.next(fragments.count)], "cookie": "sonic_session=\(fragments[random.next(fragments.count)])",
                   "origin": fragments[random.next(fragments.count)]]
            let response = app.handle(Request(method: methods[random.next(methods.count)], path: path,
                                              query: random.next(3) == 0 ? "wait=\(fragments[random.next(fragments.count)])&since=x" : "",
                                              headers: HTTPFields(headers), remoteAddress: "127.0.0.1", body: bytes))
            statuses[response.status.code, default: 0] += 1
            #expect(response.status != 500, "\(path) \(body)")
            #expect((200...599).contains(response.status.code))
        }
        #expect(statuses.keys.contains(404) && statuses.keys.contains(405) && statuses.keys.contains(400))
    }

    /// docs/openapi.yaml documents exactly the routes the code serves.
    @Test func openAPIDocumentsEveryRoute() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let documented = Set(text.split(separator: "\n").filter { $0.hasPrefix("  /") && $0.hasSuffix(":") }.map { String($0.dropFirst(2).dropLast()) })
        #expect(documented == Set(API.routes.map(\.pattern)))
    }
}

/// A small deterministic generator (SplitMix64).
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

@Suite struct HistoryCSVTests {
    @Test func fieldsAreQuotedAndFormulasDefused() {
        #expect(HistoryQueryDecoder.csvField("1.5") == "1.5")
        #expect(HistoryQueryDecoder.csvField("a,b") == "\"a,b\"")
        #expect(HistoryQueryDecoder.csvField("say \"no\"") == "\"say \"\"no\"\"\"")
        #expect(HistoryQueryDecoder.csvField("line\nbreak") == "\"line\nbreak\"")
        // A revert reason is contract-controlled text: a spreadsheet must not run it.
        #expect(HistoryQueryDecoder.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(HistoryQueryDecoder.csvField("@SUM(A1)") == "'@SUM(A1)")
    }
}

