import Synchronization
import Foundation
import SonicHTTP
import TestSupport
import Testing
@testable import FastCGI

@Suite(.serialized) struct FastCGIServerTests {
    /// Echoes what the handler saw, so the test checks the translation both ways.
    static func echo(_ request: Request) -> Response {
        let text = "\(request.method) \(request.path) q=\(request.query) ua=\(request.headers[.userAgent] ?? "-") body=\(request.body.count)"
            + " type=\(request.headers[.contentType] ?? "-") accept=\(request.headers[.accept] ?? "-")"
        return Response(status: .created, headers: [.contentType: "text/plain", HTTPField.Name("X-Test")!: "yes"], body: Array(text.utf8))
    }

    @Test func translatesRequestAndResponse() throws {
        let port = freePort()
        let server = FastCGIServer(address: "127.0.0.1:\(port)", threads: 2, answer: Self.echo)
        try server.start()
        defer { server.stop() }
        let answer = try FastCGIClient(port: port).send(params: [
            "REQUEST_METHOD": "POST", "DOCUMENT_URI": "/api/echo", "QUERY_STRING": "a=1",
            "HTTP_USER_AGENT": "tester", "CONTENT_LENGTH": "70000", "CONTENT_TYPE": "application/json", "HTTP_ACCEPT": "*/*",
        ], body: [UInt8](repeating: 65, count: 70_000))
        #expect(answer.head.hasPrefix("Status: 201 Created\r\n"))
        #expect(answer.head.contains("Content-Type: text/plain\r\n") && answer.head.contains("X-Test: yes\r\n"))
        #expect(answer.head.hasSuffix("\r\nContent-Length: \(answer.body.count)"))
        #expect(String(decoding: answer.body, as: UTF8.self) == "POST /api/echo q=a=1 ua=tester body=70000 type=application/json accept=*/*")
    }

    /// A method that is not an HTTP token (RFC 9110) is refused before any handler sees it.
    @Test(arguments: ["", "G ET", "GET\u{7F}"])
    func aMethodThatIsNotATokenIs400(_ method: String) throws {
        let port = freePort()
        let server = FastCGIServer(address: "127.0.0.1:\(port)", threads: 1, answer: { _ in Response(status: .ok) })
        try server.start()
        defer { server.stop() }
        let answer = try FastCGIClient(port: port).send(params: ["REQUEST_METHOD": method, "DOCUMENT_URI": "/x"])
        #expect(answer.head.hasPrefix("Status: 400 Bad Request\r\n"))
        #expect(String(decoding: answer.body, as: UTF8.self).contains("is not an HTTP token"))
    }

    @Test func oversizedBodyIs413WithoutCallingTheHandler() throws {
        let port = freePort()
        let server = FastCGIServer(address: "127.0.0.1:\(port)", threads: 1, maxBody: 10, answer: { _ in Response(status: .internalServerError) })
        try server.start()
        defer { server.stop() }
        let answer = try FastCGIClient(port: port).send(params: ["REQUEST_METHOD": "POST", "DOCUMENT_URI": "/x", "CONTENT_LENGTH": "11"],
                                                         body: Array("01234567890".utf8))
        #expect(answer.head.hasPrefix("Status: 413"))
        #expect(String(decoding: answer.body, as: UTF8.self).contains("at most 10 are accepted"))
    }

    /// The limit depends on the request (its route): a body past it is read through and
    /// dropped, never kept, and the kept connection serves its next request in step.
    @Test func aBodyPastItsRoutesLimitIsRefusedAndTheConnectionGoesOn() throws {
        let port = freePort()
        let server = FastCGIServer(address: "127.0.0.1:\(port)", threads: 1, bodyLimit: { $0.path == "/upload" ? 1_000_000 : 100 }) { request, respond in
            respond(Self.echo(request))
        }
        try server.start()
        defer { server.stop() }
        let client = FastCGIClient(port: port)
        let fd = try client.connect()
        defer { close(fd) }
        let big = [UInt8](repeating: 7, count: 300_000)
        client.write(fd, params: ["REQUEST_METHOD": "POST", "DOCUMENT_URI": "/small", "CONTENT_LENGTH": "\(big.count)"], body: big, keepConnection: true)
        let refused = try client.readAnswer(fd)
        #expect(refused.head.hasPrefix("Status: 413") && String(decoding: refused.body, as: UTF8.self).contains("at most 100 are accepted here"))
        client.write(fd, params: ["REQUEST_METHOD": "POST", "DOCUMENT_URI": "/upload", "CONTENT_LENGTH": "\(big.count)"], body: big, keepConnection: true)
        let accepted = try client.readAnswer(fd)
        #expect(String(decoding: accepted.body, as: UTF8.self).hasPrefix("POST /upload "))
    }

    @Test func manyConcurrentRequestsAreAllAnswered() throws {
        let port = freePort()
        let server = FastCGIServer(address: "127.0.0.1:\(port)", threads: 4, answer: Self.echo)
        try server.start()
        defer { server.stop() }
        let answered = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            if let answer = try? FastCGIClient(port: port).send(params: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/n/\(index)"]),
               String(decoding: answer.body, as: UTF8.self).hasPrefix("GET /n/\(index) ") {
                answered.withLock { $0 += 1 }
            }
        }
        #expect(answered.withLock { $0 } == 200)
    }

    /// Connections nginx keeps open between requests wait in epoll, not on a thread: one thread
    /// serves three kept connections in turn and a new one besides (after nginx closed one of the
    /// kept ones), and stop closes the idle ones.
    @Test func idleKeptConnectionsHoldNoThread() throws {
        let port = freePort()
        let server = FastCGIServer(address: "127.0.0.1:\(port)", threads: 1, answer: Self.echo)
        try server.start()
        let client = FastCGIClient(port: port)
        var kept = try (0..<3).map { _ in try client.connect() }
        for round in 0..<2 {
            for fd in kept {
                client.write(fd, params: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/kept/\(round)"], keepConnection: true)
                let answer = try client.readAnswer(fd)
                #expect(String(decoding: answer.body, as: UTF8.self).hasPrefix("GET /kept/\(round) "))
            }
        }
        close(kept.removeLast())  // nginx drops one of its idle connections: the server closes its end
        let fresh = try client.send(params: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/fresh"])
        #expect(String(decoding: fresh.body, as: UTF8.self).hasPrefix("GET /fresh "))
        server.stop()
        var byte: UInt8 = 0
        for fd in kept {
            #expect(read(fd, &byte, 1) == 0)  // closed by the server, not left hanging
            close(fd)
        }
    }

    /// A parked request is answered later from another thread while the only worker thread
    /// keeps serving others.
    @Test func parkedRequestsHoldNoThread() throws {
        let port = freePort()
        let parked = Mutex<[@Sendable (Response) -> Void]>([])
        let server = FastCGIServer(address: "127.0.0.1:\(port)", threads: 1) { request, respond in
            if request.path == "/park" {
                parked.withLock { $0.append(respond) }
            } else {
                respond(Response(status: .ok, body: Array("inline".utf8)))
            }
        }
        try server.start()
        defer { server.stop() }
        let answers = Mutex<[String]>([])
        let group = DispatchGroup()
        for _ in 0..<3 {
            group.enter()
            // Threads of their own: GCD adds threads slowly when its few are blocked reading.
            Thread {
                if let answer = try? FastCGIClient(port: port).send(params: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/park"]) {
                    answers.withLock { $0.append(String(decoding: answer.body, as: UTF8.self)) }
                }
                group.leave()
            }.start()
        }
        try #require(eventually { parked.withLock { $0.count } == 3 }, "three requests parked on the handler")
        // Three requests parked on a one-thread server, and it still answers another at once.
        let inline = try FastCGIClient(port: port).send(params: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/now"])
        #expect(String(decoding: inline.body, as: UTF8.self) == "inline")
        for respond in parked.withLock({ $0 }) { respond(Response(status: .ok, body: Array("woken".utf8))) }
        group.wait()
        #expect(answers.withLock { $0 } == ["woken", "woken", "woken"])
    }

    /// A parked request answered from another thread keeps its connection when nginx asked for
    /// that (as it does for its kept upstream connections): nginx's next request on it is
    /// answered, not reset.
    @Test func aParkedAnswerKeepsTheConnectionForTheNextRequest() throws {
        let port = freePort()
        let parked = Mutex<(@Sendable (Response) -> Void)?>(nil)
        let server = FastCGIServer(address: "127.0.0.1:\(port)", threads: 1) { request, respond in
            if request.path == "/park" {
                parked.withLock { $0 = respond }
            } else {
                respond(Response(status: .ok, body: Array("inline".utf8)))
            }
        }
        try server.start()
        defer { server.stop() }
        let client = FastCGIClient(port: port)
        let fd = try client.connect()
        defer { close(fd) }
        client.write(fd, params: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/park"], keepConnection: true)
        try #require(eventually { parked.withLock { $0 } != nil }, "the request parked")
        let respond = try #require(parked.withLock { $0 })
        Thread { respond(Response(status: .ok, body: Array("woken".utf8))) }.start()  // from another thread
        #expect(String(decoding: try client.readAnswer(fd).body, as: UTF8.self) == "woken")
        client.write(fd, params: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/next"], keepConnection: true)
        #expect(String(decoding: try client.readAnswer(fd).body, as: UTF8.self) == "inline")
    }

    @Test func addressInUseIsAClearError() throws {
        let port = freePort()
        let first = FastCGIServer(address: "127.0.0.1:\(port)", threads: 1, answer: Self.echo)
        try first.start()
        defer { first.stop() }
        let second = FastCGIServer(address: "127.0.0.1:\(port)", threads: 1, answer: Self.echo)
        #expect(throws: FastCGIError.self) { try second.start() }
    }
}

@Suite struct DisconnectTests {
    /// nginx closes the upstream connection when its client gives up; the parked request is
    /// then freed at once, and answering it later does nothing.
    @Test func aParkedRequestWhoseClientLeavesIsFreed() throws {
        let port = freePort()
        let parked = Mutex<[@Sendable (Response) -> Void]>([])
        let server = FastCGIServer(address: "127.0.0.1:\(port)", threads: 2) { _, respond in parked.withLock { $0.append(respond) } }
        try server.start()
        defer { server.stop() }
        let fd = try FastCGIClient(port: port).openAndSend(params: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/park"])
        try #require(eventually { server.parkedCount == 1 }, "the request parked")
        close(fd)  // the client goes away
        #expect(eventually { server.parkedCount == 0 }, "the server noticed the client left and freed the parked request")
        for respond in parked.withLock({ $0 }) { respond(Response(status: .ok, body: Array("late".utf8))) }  // no crash, no write
    }
}

extension FastCGIServerTests {
    /// `stop()` ends and joins every thread the server started: workers and the disconnect watch.
    @Test func stopLeavesNoThreadBehind() throws {
        // The servers of the suite's other tests have stopped (their threads may still be returning).
        func running() -> Int { threadNames().filter { $0.hasPrefix("fcgi-") }.count }
        #expect(eventually { running() == 0 })
        let server = FastCGIServer(address: "127.0.0.1:\(freePort())", threads: 3, answer: Self.echo)
        try server.start()
        // A new thread names itself once it runs, and is listed until it has returned.
        #expect(eventually { running() == 4 })
        server.stop()
        #expect(eventually { running() == 0 })
    }
}
