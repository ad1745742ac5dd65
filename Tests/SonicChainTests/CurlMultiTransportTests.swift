import Foundation
import Synchronization
import TestSupport
import Testing
@testable import SonicChain

/// A server that holds every answer until `open()`, counting the requests it holds at once.
private final class Gate: Sendable {
    private let state = Mutex((open: false, holding: 0, most: 0))

    func hold() {
        state.withLock { $0.holding += 1; $0.most = max($0.most, $0.holding) }
        _ = eventually(within: 10) { state.withLock { $0.open } }
        state.withLock { $0.holding -= 1 }
    }

    func open() { state.withLock { $0.open = true } }
    var holding: Int { state.withLock { $0.holding } }
    var most: Int { state.withLock { $0.most } }
}

@Suite(.serialized) struct CurlMultiTransportTests {
    @Test func postsAndGets() async throws {
        let stub = HTTPStub { request in (200, #"{"echo":"\#(request.method) \#(String(decoding: request.body, as: UTF8.self))"}"#) }
        defer { stub.stop() }
        let transport = CurlMultiTransport()
        defer { transport.stop() }
        let posted = try await transport.post(url: stub.url, body: Array("ping".utf8))
        #expect(posted.status == 200)
        #expect(String(decoding: posted.body, as: UTF8.self) == #"{"echo":"POST ping"}"#)
        #expect(stub.requests.first?.headers["content-type"] == "application/json")
        let got = try await transport.get(url: stub.url + "/x")
        #expect(String(decoding: got.body, as: UTF8.self) == #"{"echo":"GET "}"#)
    }

    /// Two may be in flight to one host and one may wait; a fourth call is refused at once, and
    /// the waiting one goes out when a slot frees.
    @Test func boundsCallsInFlightAndShedsBeyondTheQueue() async throws {
        let gate = Gate()
        let stub = HTTPStub(concurrent: true) { _ in gate.hold(); return (200, "{}") }
        defer { stub.stop() }
        let transport = CurlMultiTransport(maxInFlight: 2, maxQueued: 1)
        defer { transport.stop() }

        // On a queue of their own: Swift's global pool may be held by other suites' blocking waits.
        let calls = (0..<3).map { _ in Task(executorPreference: QueueExecutor.shared) { try await transport.post(url: stub.url, body: []) } }
        #expect(eventually { gate.holding == 2 && transport.waitingCount == 1 })
        do {
            _ = try await transport.post(url: stub.url, body: [])
            Issue.record("a call beyond the bound and the queue was not refused")
        } catch {
            #expect(error == .overloaded)
        }
        gate.open()
        for call in calls { #expect(try await call.value.status == 200) }
        #expect(gate.most == 2)
        #expect(stub.requests.count == 3)
    }

    @Test func aCancelledCallReturnsAtOnce() async throws {
        let gate = Gate()
        let stub = HTTPStub(concurrent: true) { _ in gate.hold(); return (200, "{}") }
        defer { stub.stop() }
        let transport = CurlMultiTransport(maxInFlight: 1, maxQueued: 1)
        defer { transport.stop() }

        let inFlight = Task(executorPreference: QueueExecutor.shared) { try await transport.post(url: stub.url, body: []) }
        #expect(eventually { gate.holding == 1 })
        let waiting = Task(executorPreference: QueueExecutor.shared) { try await transport.post(url: stub.url, body: []) }
        inFlight.cancel()
        await #expect(throws: CurlMultiTransport.Failure.cancelled) { try await inFlight.value }
        // Its slot went to the waiting call.
        #expect(eventually { stub.requests.count == 2 })
        gate.open()
        #expect(try await waiting.value.status == 200)
    }

    /// A call whose timeout runs out while it waits for a slot is given up unsent.
    @Test func timeInTheQueueCountsAgainstTheTimeout() async throws {
        let gate = Gate()
        let stub = HTTPStub(concurrent: true) { _ in gate.hold(); return (200, "{}") }
        defer { stub.stop() }
        let transport = CurlMultiTransport(maxInFlight: 1, maxQueued: 1)
        defer { transport.stop() }
        let first = Task(executorPreference: QueueExecutor.shared) { try await transport.post(url: stub.url, body: []) }
        #expect(eventually { gate.holding == 1 })
        let second = Task(executorPreference: QueueExecutor.shared) { try await transport.post(url: stub.url, body: [], timeout: 0.2) }
        #expect(eventually { transport.waitingCount == 1 })
        usleep(400_000)  // the second call's 0.2 s run out while it waits
        gate.open()
        #expect(try await first.value.status == 200)
        await #expect(throws: CurlMultiTransport.Failure.timeout) { try await second.value }
        #expect(stub.requests.count == 1)
    }

    @Test func aSilentServerTimesOut() async throws {
        let (listener, port) = loopbackSocket()
        defer { close(listener) }
        listen(listener, 16)  // connections complete; nobody answers
        let transport = CurlMultiTransport(totalTimeout: 5)
        defer { transport.stop() }
        await #expect(throws: CurlMultiTransport.Failure.timeout) {
            try await transport.post(url: "http://127.0.0.1:\(port)", body: [], timeout: 0.2)
        }
    }

    @Test func stopEndsCallsAndItsThread() async throws {
        let gate = Gate()
        let stub = HTTPStub(concurrent: true) { _ in gate.hold(); return (200, "{}") }
        defer { gate.open(); stub.stop() }
        let transport = CurlMultiTransport(threadName: "curl-stopped")  // a name no other suite's transport has
        let call = Task(executorPreference: QueueExecutor.shared) { try await transport.post(url: stub.url, body: []) }
        #expect(eventually { gate.holding == 1 })
        #expect(threadNames().contains("curl-stopped"))
        transport.stop()
        await #expect(throws: CurlMultiTransport.Failure.cancelled) { try await call.value }
        await #expect(throws: CurlMultiTransport.Failure.cancelled) { try await transport.get(url: stub.url) }
        #expect(eventually { !threadNames().contains("curl-stopped") })
    }
}
