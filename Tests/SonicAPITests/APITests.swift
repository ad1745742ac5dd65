import Ethereum
import Foundation
import SonicConfig
import SonicHTTP
import Testing
import SonicStore
import Synchronization
import TestSupport
@testable import SonicApp
@testable import SonicAPI

@Suite struct APITests {
    func makeApp(rpc: String) throws -> API {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("app-\(UUID().uuidString).sqlite").path
        return API(app: App(configuration: try Configuration(environment: [
            "SONIC_RPC_URLS": rpc, "SONIC_DB_PATH": path, "SONIC_RPC_TIMEOUT": "1",
        ])))
    }

    func json(_ response: Response) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
    }

    @Test func unknownPathIsAProblemDocument() throws {
        let response = try makeApp(rpc: "http://127.0.0.1:9").handle(Request(method: .get, path: "/api/nope"))
        #expect(response.status == 404)
        #expect(response.header("content-type") == "application/problem+json")
        let body = try json(response)
        #expect(body["status"] as? Int == 404)
        #expect(body["detail"] as? String == "there is no API endpoint at /api/nope")
    }

    @Test func wrongMethodIs405WithAllow() throws {
        let response = try makeApp(rpc: "http://127.0.0.1:9").handle(Request(method: .delete, path: "/api/health"))
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET")
    }

    @Test func unreachableNodeDegradesHealth() throws {
        let response = try makeApp(rpc: "http://127.0.0.1:9").handle(Request(method: .get, path: "/api/health"))
        #expect(response.status == 503)
        #expect(response.header("Retry-After") == "5")
        let body = try json(response)
        #expect(body["status"] as? String == "degraded")
        #expect(body["rpc"] as? String == "unreachable")
        #expect(body["database"] as? String == "ok")
        #expect(body["block"] is NSNull)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"] != nil))
    func healthyWithTheDevnet() throws {
        let app = try makeApp(rpc: ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"]!)
        let response = app.handle(Request(method: .get, path: "/api/health"))
        #expect(response.status == 200)
        let body = try json(response)
        #expect(body["status"] as? String == "ok")
        #expect(body["chain_id"] as? Int == 31337)
        #expect((body["block"] as? Int).map { $0 >= 0 } == true)
    }
}

@Suite struct ChangeFeedTests {
    @Test func waitersWakeWhenAnotherProcessSettlesTheirTransactionNotWhenItIsTracked() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString).sqlite").path
        let app = App(configuration: try Configuration(environment: ["SONIC_RPC_URLS": "http://127.0.0.1:9", "SONIC_DB_PATH": path]))
        let store = try #require(app.store)
        let hash = "0x" + String(repeating: "cd", count: 32)
        let woken = Mutex(0)
        app.waiters.park(hash, until: Date().addingTimeInterval(60)) { _ in woken.withLock { $0 += 1 } }
        var feed = TransactionWatcher.ChangeFeed()
        #expect(await app.watcher.wakeChanged(&feed) == 0)
        try store.track(TrackedTransaction(hash: try Hash32(hash), sender: nil, nonce: nil))
        #expect(await app.watcher.wakeChanged(&feed) == 0)
        #expect(woken.withLock { $0 } == 0)
        // The indexer (another connection, as another process would be) settles it.
        let writer = try Store(path: path)
        var settled = try #require(try writer.trackedTransaction(Hash32(hash)))
        settled.state = .confirmed
        settled.updatedAt = Date()
        try writer.update(settled)
        #expect(await app.watcher.wakeChanged(&feed) == 1)
        #expect(woken.withLock { $0 } == 1)
        #expect(await app.watcher.wakeChanged(&feed) == 0)  // once per change
    }
}

@Suite struct RequestMetricsTests {
    /// Request counts are labelled by method from a closed set: invented methods (400 of them,
    /// 4 KB each) are all `OTHER`, so they cannot grow /metrics or the process's memory.
    @Test func inventedMethodsAreCountedAsOtherWithoutNewSeries() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).sqlite").path
        let api = API(app: App(configuration: try Configuration(environment: [
            "SONIC_RPC_URLS": "http://127.0.0.1:9", "SONIC_DB_PATH": path, "SONIC_RATE_LIMIT_PER_MINUTE": "0",
        ])))
        func series() async -> [String] { await api.prometheusText().split(separator: "\n").filter { $0.hasPrefix("sonic_http_requests_total{") }.map(String.init) }
        for index in 0..<400 {
            let method = try #require(HTTPRequest.Method("X\(index)" + String(repeating: "Y", count: 4096)))
            #expect(api.handle(Request(method: method, path: "/api/health")).status == 405)
        }
        #expect(api.handle(Request(method: .get, path: "/api/nope")).status == 404)
        let text = await series()
        #expect(text.contains(#"sonic_http_requests_total{route="unknown",method="OTHER",status="405"} 400"#), "\(text)")
        #expect(text.contains(#"sonic_http_requests_total{route="unknown",method="GET",status="404"} 1"#), "\(text)")
        #expect(text.count == 2 && text.allSatisfy { $0.count < 120 })
    }
}

/// A node that holds every call until `release`, then answers the head (block 100) and a
/// balance (42 wei) in one batch, as the balance service asks for them.
private final class HeldNode: @unchecked Sendable {
    private let gate = DispatchSemaphore(value: 0)
    let stub: HTTPStub

    init() {
        let gate = gate
        stub = HTTPStub(concurrent: true) { _ in
            _ = gate.wait(timeout: .now() + 10)
            return (200, #"[{"jsonrpc":"2.0","id":0,"result":"0x64"},{"jsonrpc":"2.0","id":1,"result":"0x2a"}]"#)
        }
    }

    /// Lets `calls` held calls answer.
    func release(_ calls: Int = 1) { for _ in 0..<calls { gate.signal() } }

    /// The API of an app whose node this is, with `settings` added to its environment.
    func api(_ settings: [String: String] = [:]) throws -> API {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("held-\(UUID().uuidString).sqlite").path
        return API(app: App(configuration: try Configuration(environment: [
            "SONIC_RPC_URLS": stub.url, "SONIC_DB_PATH": path, "SONIC_RATE_LIMIT_PER_MINUTE": "0",
        ].merging(settings) { $1 })))
    }
}

/// A slow node holds no worker: the request's task leaves the thread that took it while it waits
/// for the node's answer, and the answer is written when the node replies.
@Suite struct SlowNodeTests {
    static let balance = Request(method: .get, path: "/api/balance/0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")

    @Test func aRequestWaitingForTheNodeFreesItsWorker() throws {
        let node = HeldNode()
        defer { node.stub.stop() }
        let api = try node.api()
        let answered = DispatchSemaphore(value: 0)
        let answer = Mutex<Response?>(nil)
        api.handle(Self.balance) { response in
            answer.withLock { $0 = response }
            answered.signal()
        }
        // handle returned while the node still holds the call: the worker is free.
        #expect(answer.withLock { $0 } == nil)
        node.release()
        #expect(answered.wait(timeout: .now() + 10) == .success)
        let response = try #require(answer.withLock { $0 })
        #expect(response.status == 200)
        let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(body?["block"] as? Int == 100)
        #expect((body?["native"] as? [String: Any])?["balance"] as? String == "42")
    }

    /// Past the request's deadline a node call is given up: the answer is a 503 with
    /// `Retry-After` (nothing cached to fall back on) at the deadline, not when the node replies.
    @Test func aNodeSlowerThanTheDeadlineIsGivenUpAtTheDeadline() throws {
        let node = HeldNode()
        defer {
            node.release()
            node.stub.stop()
        }
        let api = try node.api(["SONIC_REQUEST_DEADLINE": "0.3"])
        let started = DispatchTime.now().uptimeNanoseconds
        let response = api.handle(Self.balance)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        #expect(response.status == 503)
        #expect(response.header("retry-after") != nil)
        #expect(seconds < 3)  // the node would have held it 10 s
    }

    /// Beyond the calls in flight and the queue, a request is refused at once with 503 and
    /// `Retry-After`, not queued without end.
    @Test func beyondTheBoundOnNodeCallsARequestIsShedAtOnce() throws {
        let node = HeldNode()
        defer {
            node.release(4)
            node.stub.stop()
        }
        let api = try node.api(["SONIC_RPC_MAX_IN_FLIGHT": "1", "SONIC_RPC_MAX_QUEUED": "0"])
        let first = DispatchSemaphore(value: 0)
        api.handle(Self.balance) { _ in first.signal() }
        #expect(eventually { node.stub.requests.count == 1 })  // the one call in flight, held
        let shed = api.handle(Request(method: .get, path: "/api/balance/0x0000000000000000000000000000000000000001"))
        #expect(shed.status == 503)
        #expect(shed.header("retry-after") != nil)
        #expect(node.stub.requests.count == 1)  // never sent
        node.release()
        #expect(first.wait(timeout: .now() + 10) == .success)
    }
}
