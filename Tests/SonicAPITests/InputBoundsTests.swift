import AppTestSupport
import Foundation
import SonicHTTP
import Testing
@testable import SonicAPI

/// Every field of every route is bounded before it is parsed or stored. The test walks the
/// route table (new routes are walked as they come) and sends each input long, far too long
/// and deeply nested; each answer must be quick and a 4xx problem naming that input (or a
/// success, for a route that ignores it), never a crash or a 5xx.
@Suite struct InputBoundsTests {
    /// A fitting value for each path parameter; a route with a parameter not here fails the test.
    static let samples = [
        "address": TestServices.alice.checksummed, "hash": "0x" + String(repeating: "ab", count: 32),
        "cid": "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy", "id": "1",
    ]

    let test: EndpointTests

    init() throws {
        test = try EndpointTests(environment: ["SONIC_NFT_MAX_BYTES": "65536"])
    }

    /// One request to `route`, signed in with `session`: its answer and how long it took.
    func send(_ route: Route, _ session: [String: String], parameters: [String: String] = [:], query: String = "",
              body: [UInt8] = Array("{}".utf8), contentType: String = "application/json") -> (Response, Double) {
        let path = route.segments.map { segment -> String in
            switch segment {
            case .literal(let text): text
            case .parameter(let name): parameters[name] ?? Self.samples[name] ?? "missing-sample-for-\(name)"
            }
        }.joined(separator: "/")
        let started = Date()
        let answer = test.api.handle(Request(method: route.method, path: "/" + path, query: query,
                                             headers: HTTPFields(session.merging(["content-type": contentType]) { $1 }),
                                             remoteAddress: "10.1.2.3", body: route.method == .post ? body : []))
        return (answer, Date().timeIntervalSince(started))
    }

    /// The answer is a quick 4xx naming `field`, or a success.
    func expectRefused(_ result: (Response, Double), naming field: String, _ route: Route, _ comment: String) {
        let (answer, seconds) = result
        let document = test.json(answer)
        let named = (400..<500).contains(answer.status.code) && document["field"] as? String == field
        #expect(named || (200..<300).contains(answer.status.code),
                "\(route.method) \(route.pattern) \(comment): \(answer.status.code) \(document)")
        // Generous for a debug build among other suites; a cost that grows with the square of a
        // megabyte takes minutes. The release figures (at most 5 ms of CPU) are `make bench`'s.
        #expect(seconds < 2, "\(route.method) \(route.pattern) \(comment) took \(seconds) s")
    }

    static let long = String(repeating: "9", count: 300)
    static let huge = String(repeating: "9", count: 1_000_000)
    static let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)

    @Test func everyRouteRefusesLongAndDeepInputsNamingTheField() throws {
        for route in API.routes {
            let session = try test.signIn()  // again for each route: one of them signs out
            let parameters = route.segments.compactMap { segment -> String? in if case .parameter(let name) = segment { name } else { nil } }
            for name in parameters {
                #expect(Self.samples[name] != nil, "no sample value for the path parameter \(name) of \(route.pattern)")
                for value in [Self.long, Self.huge] { expectRefused(send(route, session, parameters: [name: value]), naming: name, route, "long \(name)") }
            }
            for name in route.pathInputs.subtracting(parameters).sorted() {
                // nginx lets 8 KB of request line through; longer query strings are refused whole (414).
                for value in [Self.long, String(repeating: "9", count: 10_000)] {
                    expectRefused(send(route, session, query: "\(name)=\(value)"), naming: name, route, "long \(name)")
                }
            }
            // Many query items, or one that is not the route's: never read past the bound.
            let (many, seconds) = send(route, session, query: (0..<20_000).map { "x\($0)=1" }.joined(separator: "&"))
            #expect(many.status.code == 414 || (200..<300).contains(many.status.code) || many.status.code == 401, "\(route.pattern): \(many.status.code)")
            #expect(seconds < 2)
            guard route.method == .post else { continue }
            if route.pattern == "/api/nft/assets" {
                for (name, limit) in route.body {
                    let size = name == "image" ? 65_537 : limit + 1  // the whole upload's bound is SONIC_NFT_MAX_BYTES
                    let answer = test.upload([(name, name == "image" ? "a.png" : nil, EndpointTests.png + Array(repeating: 7, count: size))],
                                             headers: session)
                    #expect((400..<500).contains(answer.status.code) && test.json(answer)["field"] as? String == name, "\(name): \(test.json(answer))")
                }
                continue
            }
            for (name, limit) in route.body.sorted(by: { $0.key < $1.key }) {
                for value in [String(repeating: "9", count: limit - 1), Self.huge] {
                    expectRefused(send(route, session, body: Array(#"{"\#(name)":"\#(value)"}"#.utf8)), naming: name, route, "long \(name)")
                }
                expectRefused(send(route, session, body: Array(#"{"\#(name)":\#(Self.deep)}"#.utf8)), naming: name, route, "deep \(name)")
            }
            expectRefused(send(route, session, body: Array(Self.deep.utf8)), naming: "body", route, "deep body")
            expectRefused(send(route, session, body: Array(#"{"\#(Self.huge)":1}"#.utf8)), naming: String(Self.huge.prefix(64)), route, "long name")
        }
    }

    /// The scanner that bounds a body before any decoder reads it.
    @Test func theShapeOfABodyIsReadInOnePass() throws {
        let shape = try JSONShape.scan(Array(#" { "a" : "x,y}" , "b\"c": [1, {"d": 2}], "e":3 } "#.utf8), maxDepth: 3)
        #expect(shape.isObject && shape.members.map(\.name) == ["a", "b\"c", "e"] && shape.members.map(\.bytes) == [6, 13, 1])
        #expect(throws: Problem(status: 400, title: "Too deeply nested", detail: "b nests JSON more than 2 levels deep", field: "b")) {
            try JSONShape.scan(Array(#"{"a": 1, "b": [[1]]}"#.utf8), maxDepth: 2)
        }
        #expect(try !JSONShape.scan(Array("[1, 2]".utf8), maxDepth: 2).isObject)
    }
}
