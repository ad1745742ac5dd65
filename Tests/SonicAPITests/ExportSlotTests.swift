import AppTestSupport
import SonicHTTP
import Testing
@testable import SonicAPI

/// CSV exports hold a worker each until their last row: only `SONIC_EXPORTS_AT_ONCE` at once (issue 19).
@Suite struct ExportSlotTests {
    @Test func exportsBeyondTheCapAreAnswered503UntilOneEnds() throws {
        let endpoint = try EndpointTests(environment: ["SONIC_EXPORTS_AT_ONCE": "1"])
        let path = "/api/history/\(TestServices.alice.checksummed)"
        var first: Response? = endpoint.get(path, query: "format=csv")
        #expect(first?.status == .ok && endpoint.services.app.exports.inUse == 1)
        let second = endpoint.get(path, query: "format=csv")
        #expect(second.status == .serviceUnavailable && second.headers[.retryAfter] == "5")
        #expect((endpoint.json(second)["detail"] as? String) == "1 history exports are being written; try again in a few seconds")
        #expect(endpoint.get(path).status == .ok)  // a page of JSON is no export
        let written = String(decoding: first?.collectedBody() ?? [], as: UTF8.self)
        #expect(written.hasPrefix("time,hash,"))
        first = nil  // written: its slot is free
        #expect(endpoint.services.app.exports.inUse == 0 && endpoint.get(path, query: "format=csv").status == .ok)
    }
}
