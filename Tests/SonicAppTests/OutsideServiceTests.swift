import Ethereum
import Foundation
import SonicChain
import TestSupport
import Testing
@testable import SonicApp

/// Our clients of paid outside services, against a stub that checks the request shape each
/// service documents and answers as it would. Keys go only into the header the service names.
@Suite struct OutsideServiceTests {
    static let transport = HTTPTransport(connectTimeout: 2, totalTimeout: 5)

    @Test func geminiGetsFunctionDeclarationsAndItsKeyInTheDocumentedHeader() async throws {
        let stub = HTTPStub { _ in
            (200, #"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"check_balance","args":{"token":"usdc"}}}]}}]}"#)
        }
        defer { stub.stop() }
        let model = GeminiModel(baseURL: stub.url, model: "gemini-2.5-flash", apiKey: Secret(Array("k-123".utf8)), transport: Self.transport)
        #expect(try await model.interpret("how many usdc") == .call(name: "check_balance", arguments: ["token": .string("usdc")]))
        let request = try #require(stub.requests.first)
        #expect(request.method == "POST" && request.target == "/v1beta/models/gemini-2.5-flash:generateContent")
        #expect(request.headers["x-goog-api-key"] == "k-123" && !request.target.contains("k-123"))
        let tools = (request.json?["tools"] as? [[String: Any]])?.first?["functionDeclarations"] as? [[String: Any]]
        #expect(tools?.count == AgentTools.functions.count)
        let contents = request.json?["contents"] as? [[String: Any]]
        #expect(((contents?.first?["parts"] as? [[String: Any]])?.first?["text"] as? String) == "how many usdc")
    }

    @Test func anOpenAICompatibleServerGetsToolsAndABearerKey() async throws {
        let stub = HTTPStub { _ in
            (200, #"{"choices":[{"message":{"tool_calls":[{"function":{"name":"gas_price","arguments":"{}"}}]}}]}"#)
        }
        defer { stub.stop() }
        let model = OpenAICompatibleModel(baseURL: stub.url + "/v1", model: "gpt-4o-mini", apiKey: Secret(Array("sk-1".utf8)), transport: Self.transport)
        #expect(try await model.interpret("gas?") == .call(name: "gas_price", arguments: [:]))
        let request = try #require(stub.requests.first)
        #expect(request.target == "/v1/chat/completions" && request.headers["authorization"] == "Bearer sk-1")
        #expect(request.json?["model"] as? String == "gpt-4o-mini" && (request.json?["tools"] as? [Any])?.count == AgentTools.functions.count)
    }

    @Test func aModelThatRefusesOrAnswersNonsenseIsAnErrorNotAnAnswer() async throws {
        let refusing = HTTPStub { _ in (429, #"{"error":"quota"}"#) }
        defer { refusing.stop() }
        let model = OpenAICompatibleModel(baseURL: refusing.url, model: "m", apiKey: nil, transport: Self.transport)
        await #expect(throws: LanguageModelError.self) { try await model.interpret("hi") }
        let nonsense = HTTPStub { _ in (200, #"{"choices":[]}"#) }
        defer { nonsense.stop() }
        let other = GeminiModel(baseURL: nonsense.url, model: "m", apiKey: Secret([1]), transport: Self.transport)
        await #expect(throws: LanguageModelError.self) { try await other.interpret("hi") }
    }

    @Test func kuboAddsThenPinsWithTheCIDVersionAsked() async throws {
        let stub = HTTPStub { request in
            request.target.hasPrefix("/api/v0/add") ? (200, #"{"Name":"a.png","Hash":"bafkreiabc","Size":"3"}"#) : (200, #"{"Pins":["bafkreiabc"]}"#)
        }
        defer { stub.stop() }
        let pinner = KuboPinner(baseURL: stub.url, transport: Self.transport)
        #expect(try await pinner.pinFile([1, 2, 3], filename: "a.png", cidVersion: 1) == "bafkreiabc")
        let (add, pin) = (stub.requests[0], stub.requests[1])
        #expect(add.target == "/api/v0/add?cid-version=1&raw-leaves=true&pin=false")
        #expect(add.headers["content-type"]?.hasPrefix("multipart/form-data; boundary=") == true)
        #expect(pin.target == "/api/v0/pin/add?arg=bafkreiabc")
    }

    @Test func pinataGetsTheFileOrJSONWithItsOptionsAndTheJWT() async throws {
        let stub = HTTPStub { _ in (200, #"{"IpfsHash":"QmXyz","PinSize":3}"#) }
        defer { stub.stop() }
        let pinner = PinataPinner(baseURL: stub.url, jwt: Secret(Array("jwt.token".utf8)), transport: Self.transport)
        #expect(try await pinner.pinFile([1, 2, 3], filename: "a.png", cidVersion: 0) == "QmXyz")
        #expect(try await pinner.pinJSON(.object(["name": .string("Sunset")]), data: [], name: "metadata.json", cidVersion: 1) == "QmXyz")
        let (file, json) = (stub.requests[0], stub.requests[1])
        #expect(file.target == "/pinning/pinFileToIPFS" && file.headers["authorization"] == "Bearer jwt.token")
        #expect(String(decoding: file.body, as: UTF8.self).contains(#"{"cidVersion":0}"#))
        #expect(json.target == "/pinning/pinJSONToIPFS" && (json.json?["pinataContent"] as? [String: Any])?["name"] as? String == "Sunset")
        #expect((json.json?["pinataOptions"] as? [String: Any])?["cidVersion"] as? Int == 1)

        let refusing = HTTPStub { _ in (401, #"{"error":"invalid jwt"}"#) }
        defer { refusing.stop() }
        let refused = PinataPinner(baseURL: refusing.url, jwt: Secret(Array("jwt.token".utf8)), transport: Self.transport)
        do { _ = try await refused.pinFile([1], filename: "a", cidVersion: 0) } catch {
            #expect(error.description.contains("HTTP 401") && !error.description.contains("jwt.token"))
        }
    }
}
