import AppTestSupport
import Ethereum
import Foundation
@testable import SonicApp
import SonicHTTP
import SonicStore
import Synchronization
import TestSupport
import Testing
@testable import SonicAPI

/// The API in-process over a fake chain: what a client sends and what it gets back, status,
/// headers and documents, without nginx or a node.
@Suite struct EndpointTests {
    static let key = try! PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")

    let services: TestServices
    let api: API

    init() throws {
        try self.init(environment: [:])
    }

    init(environment: [String: String]) throws {
        services = try TestServices(environment: environment)
        api = API(app: services.app)
    }

    func get(_ path: String, query: String = "", headers: [String: String] = [:], from ip: String = "10.1.2.3") -> Response {
        api.handle(Request(method: .get, path: path, query: query, headers: HTTPFields(headers), remoteAddress: ip))
    }

    func post(_ path: String, json: String, headers: [String: String] = [:]) -> Response {
        api.handle(Request(method: .post, path: path, headers: HTTPFields(["content-type": "application/json"].merging(headers) { $1 }),
                           remoteAddress: "10.1.2.3", body: Array(json.utf8)))
    }

    func json(_ response: Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.collectedBody()))) as? [String: Any] ?? [:]
    }

    /// Signs in as `key` the way the dashboard does; the cookie and CSRF headers of the session.
    func signIn(_ key: PrivateKey = Self.key) throws -> [String: String] {
        let nonce = try #require(json(get("/api/auth/nonce"))["nonce"] as? String)
        let message = SIWEMessage(domain: "127.0.0.1:8080", address: key.address, statement: "Sign in to Smart Sonic.",
                                  uri: "http://127.0.0.1:8080", chainID: 31337, nonce: nonce, issuedAt: services.clock.now())
        let signature = Hex.encode(PersonalMessage.sign(Array(message.text.utf8), with: key).bytes65)
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["message": message.text, "signature": signature]), as: UTF8.self)
        let answer = post("/api/auth/verify", json: body)
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        let cookie = try #require(answer.header("Set-Cookie"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let token = cookie.split(separator: ";")[0]
        return ["cookie": String(token), "x-csrf-token": json(answer)["csrf_token"] as! String]
    }

    @Test func aBalanceIsAJSONDocumentAndStaleWhileTheNodeIsDown() throws {
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(5) }
        let fresh = get("/api/balance/\(TestServices.alice.checksummed)")
        #expect(fresh.status == 200 && fresh.header("content-type") == "application/json")
        let native = json(fresh)["native"] as? [String: Any]
        #expect(native?["formatted"] as? String == "5" && json(fresh)["stale"] as? Bool == false)

        services.chain.update { $0.down = true }
        services.clock.advance(30)
        let stale = json(get("/api/balance/\(TestServices.alice.checksummed)"))
        #expect(stale["stale"] as? Bool == true && stale["age_seconds"] as? Double == 30)

        let never = get("/api/balance/\(TestServices.bob.checksummed)")
        #expect(never.status == 503 && never.header("Retry-After") == "5")
        #expect(json(never)["type"] as? String == "https://smartsonic.dev/problems/node-unavailable")
    }

    @Test func badInputInThePathOrQueryIs400AndInABody422NamingTheField() {
        let address = get("/api/balance/0x1234")
        #expect(address.status == 400 && json(address)["field"] as? String == "address")
        let token = get("/api/balance/\(TestServices.alice.checksummed)", query: "tokens=DOGE")
        #expect(token.status == 400 && json(token)["field"] as? String == "tokens")
        let limit = get("/api/history/\(TestServices.alice.checksummed)", query: "limit=1000")
        #expect(limit.status == 400 && json(limit)["field"] as? String == "limit")

        let to = post("/api/tx/prepare", json: #"{"from":"\#(TestServices.alice.checksummed)","to":"0xnope","amount":"1"}"#)
        #expect(to.status == 422 && json(to)["field"] as? String == "to")
        let unknown = post("/api/tx/prepare", json: #"{"from":"x","to":"y","amount":"1","memo":"hi"}"#)
        #expect(unknown.status == 400 && json(unknown)["field"] as? String == "memo")
        let missing = post("/api/tx/prepare", json: #"{"from":"\#(TestServices.alice.checksummed)"}"#)
        #expect(missing.status == 422 && json(missing)["title"] as? String == "Missing field")
        let malformed = post("/api/tx/prepare", json: "{")
        #expect(malformed.status == 400 && json(malformed)["title"] as? String == "Malformed JSON")
        let media = api.handle(Request(method: .post, path: "/api/tx/track", headers: [.contentType: "text/plain"], body: Array("x".utf8)))
        #expect(media.status == 415 && media.header("content-type") == "application/problem+json")
    }

    @Test func aTransferIsPreparedAndOneItCannotPayIsRefusedWithTheFigures() {
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(3) }
        let body = #"{"from":"\#(TestServices.alice.checksummed)","to":"\#(TestServices.bob.checksummed)","amount":"1.5"}"#
        let prepared = post("/api/tx/prepare", json: body)
        #expect(prepared.status == 200)
        #expect((json(prepared)["tx"] as? [String: Any])?["nonce"] as? String == "0x7")
        #expect(json(prepared)["summary"] as? String == "Send 1.5 S to \(TestServices.bob.checksummed)")
        let refused = post("/api/tx/prepare", json: body.replacingOccurrences(of: "1.5", with: "4"))
        #expect(refused.status == 422 && json(refused)["title"] as? String == "Insufficient balance")
        #expect(json(refused)["detail"] as? String == "not enough S for the amount and the fee: 4 needed, 3 available")
    }

    @Test func aPausedSubscriptionIsAConflict() {
        services.chain.update {
            $0.balances[TestServices.alice] = TestServices.s(10)
            $0.subscription = .init(expiresAt: 0, price: TestServices.s(1), active: false, paused: true)
        }
        let answer = post("/api/subscription/prepare", json: #"{"from":"\#(TestServices.alice.checksummed)","months":2}"#)
        #expect(answer.status == 409 && json(answer)["title"] as? String == "Sales paused")
        let status = json(get("/api/subscription/\(TestServices.alice.checksummed)"))
        #expect(status["paused"] as? Bool == true && status["price"] as? String == "1")
    }

    @Test func aSessionNeedsItsCSRFTokenAndAnotherSiteIsRefused() throws {
        let session = try signIn()
        let me = get("/api/auth/me", headers: ["cookie": session["cookie"]!])
        #expect(json(me)["address"] as? String == Self.key.address.checksummed)
        // A new tab has only the cookie: `me` gives it the token its writes need.
        #expect(json(me)["csrf_token"] as? String == session["x-csrf-token"] && me.header("Cache-Control") == "no-store")
        #expect(get("/api/auth/me").status == 401)

        let withoutToken = post("/api/auth/logout", json: "{}", headers: ["cookie": session["cookie"]!])
        #expect(withoutToken.status == 403 && json(withoutToken)["title"] as? String == "Missing CSRF token")
        let crossSite = post("/api/auth/logout", json: "{}", headers: session.merging(["origin": "https://evil.example"]) { $1 })
        #expect(crossSite.status == 403 && json(crossSite)["title"] as? String == "Cross-origin request")
        let logout = post("/api/auth/logout", json: "{}", headers: session)
        #expect(logout.status == 204 && logout.header("Set-Cookie")?.contains("Max-Age=0") == true)
        #expect(get("/api/auth/me", headers: ["cookie": session["cookie"]!]).status == 401)
    }

    @Test func pastTheLimitAClientIsToldWhenToComeBack() throws {
        let limited = try EndpointTests(environment: ["SONIC_RATE_LIMIT_PER_MINUTE": "2"])
        #expect(limited.get("/api/network").status != 429 && limited.get("/api/network").status != 429)
        let refused = limited.get("/api/network")
        #expect(refused.status == 429 && refused.header("Retry-After") == "30")
        // Health and metrics are never limited: monitors must see them.
        #expect(limited.get("/api/health").status == 200 && limited.get("/metrics").status == 200)
    }

    @Test func aLongPollIsAnsweredWhenTheStateChanges() async throws {
        let hash = try Hash32("0x" + String(repeating: "ab", count: 32))
        let store = services.store
        try store.track(TrackedTransaction(hash: hash, sender: nil, nonce: nil))
        let answer = Mutex<Response?>(nil)
        api.handle(Request(method: .get, path: "/api/tx/\(hash)", query: "wait=30&since=pending")) { response in answer.withLock { $0 = response } }
        #expect(services.app.waiters.count == 1 && answer.withLock { $0 } == nil)
        var feed = TransactionWatcher.ChangeFeed()
        _ = await services.app.watcher.wakeChanged(&feed)  // starts at the newest change
        var settled = try #require(try store.trackedTransaction(hash))
        settled.state = .confirmed
        settled.block = 101
        try store.update(settled)
        #expect(await services.app.watcher.wakeChanged(&feed) == 1)
        let response = try #require(answer.withLock { $0 })
        #expect(response.status == 200 && json(response)["status"] as? String == "confirmed" && json(response)["block"] as? Int == 101)
        #expect(services.app.waiters.count == 0)
    }

    @Test func historyPagesAndTheCSVExport() throws {
        let store = services.store
        func entry(_ index: Int) -> ActivityEntry {
            let last = index == 30
            let hash = try! Hash32(String(format: "0x%064x", index))
            return ActivityEntry(address: TestServices.alice, block: UInt64(index), txIndex: 0, seq: -1, hash: hash,
                                 time: 1_795_772_000 + UInt64(index), kind: .transfer, direction: .outgoing,
                                 counterparty: TestServices.bob, amountWei: 1_500_000_000_000_000_000, tokenSymbol: "S",
                                 tokenDecimals: 18, tokenID: nil, feeWei: last ? 21_000_000_000_000 : nil,
                                 status: last ? .failed : .confirmed, reason: last ? "=cmd|' /C calc'!A0" : nil, method: nil)
        }
        let entries = (1...30).map(entry)
        _ = try store.insertBackfilled(entries, source: "test")
        let first = json(get("/api/history/\(TestServices.alice.checksummed)", query: "limit=25"))
        let page = first["entries"] as? [[String: Any]] ?? []
        #expect(page.count == 25 && page.first?["block"] as? Int == 30 && page.first?["amount"] as? String == "1.5")
        #expect(page.first?["counterparty"] as? String == TestServices.bob.checksummed)
        let cursor = try #require(first["next_cursor"] as? String)
        let second = json(get("/api/history/\(TestServices.alice.checksummed)", query: "limit=25&cursor=\(cursor)"))
        #expect((second["entries"] as? [Any])?.count == 5 && second["next_cursor"] is NSNull)

        let csv = get("/api/history/\(TestServices.alice.checksummed)", query: "format=csv")
        #expect(csv.header("Content-Type") == "text/csv; charset=utf-8" && csv.header("Content-Disposition")?.contains("attachment") == true)
        let lines = String(decoding: csv.collectedBody(), as: UTF8.self).split(separator: "\r\n")
        #expect(lines.count == 31 && lines[0].hasPrefix("time,hash,block"))
        // A revert reason is contract text: a spreadsheet must not run it as a formula.
        #expect(lines[1].contains("'=cmd|' /C calc'!A0"))
    }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64)
        + [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    func upload(_ parts: [(name: String, filename: String?, data: [UInt8])], headers: [String: String]) -> Response {
        var body: [UInt8] = []
        for part in parts {
            let filename = part.filename.map { "; filename=\"\($0)\"" } ?? ""
            body += Array("--XyZ\r\nContent-Disposition: form-data; name=\"\(part.name)\"\(filename)\r\n\r\n".utf8) + part.data + Array("\r\n".utf8)
        }
        body += Array("--XyZ--\r\n".utf8)
        return api.handle(Request(method: .post, path: "/api/nft/assets", query: "cid_version=1",
                                  headers: HTTPFields(headers.merging(["content-type": "multipart/form-data; boundary=XyZ"]) { $1 }), body: body))
    }

    @Test func anUploadedImageIsStoredByContentAndServedImmutable() throws {
        #expect(upload([("image", "a.png", Self.png)], headers: [:]).status == 401)
        let session = try signIn()
        let stored = upload([("image", "a.png", Self.png), ("name", nil, Array("Sunset".utf8))], headers: session)
        #expect(stored.status == 201)
        let image = try #require(json(stored)["image_cid"] as? String)
        #expect(image.hasPrefix("b") && (json(stored)["metadata"] as? [String: Any])?["name"] as? String == "Sunset")
        let served = get("/ipfs/\(image)")
        #expect(served.status == 200 && served.body == Self.png && served.header("Content-Type") == "image/png")
        #expect(served.header("Cache-Control") == "public, max-age=31536000, immutable")

        let notAnImage = upload([("image", "a.png", Array("hello".utf8)), ("name", nil, Array("x".utf8))], headers: session)
        #expect(notAnImage.status == 415 && json(notAnImage)["field"] as? String == "image")
        let extra = upload([("image", "a.png", Self.png), ("name", nil, Array("x".utf8)), ("price", nil, Array("1".utf8))], headers: session)
        #expect(extra.status == 400 && json(extra)["field"] as? String == "price")
        #expect(get("/ipfs/not-a-cid").status == 400)
        #expect(get("/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy").status == 404)
    }

    @Test func theAgentAnswersWithFiguresAndPreparesATransferCard() throws {
        services.chain.update { $0.balances[Self.key.address] = TestServices.s(12) }
        let session = try signIn()
        let balance = json(post("/api/agent", json: #"{"message":"what's my balance?"}"#, headers: session))
        #expect((balance["reply"] as? String)?.contains("holds 12 S") == true && balance["intent"] as? String == "balance_check")

        let send = json(post("/api/agent", json: #"{"message":"send 2.5 S to \#(TestServices.bob.checksummed)"}"#, headers: session))
        let card = send["action"] as? [String: Any]
        #expect(card?["kind"] as? String == "transaction")
        #expect(((card?["prepared"] as? [String: Any])?["tx"] as? [String: Any])?["to"] as? String == TestServices.bob.checksummed)
        #expect((send["reply"] as? String)?.hasPrefix("Here is the transfer to check: Send 2.5 S") == true)
    }

    @Test func metricsCountRequestsByRouteNotByPath() {
        _ = get("/api/balance/0x1234")
        _ = get("/api/balance/0x5678")
        let text = String(decoding: get("/metrics").body, as: UTF8.self)
        #expect(text.contains(#"route="/api/balance/{address}""#) && !text.contains("0x1234"))
    }
}
