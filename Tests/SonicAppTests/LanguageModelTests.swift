import AppTestSupport
import Ethereum
import Foundation
import SonicAgent
import SonicChain
import SonicConfig
import Testing
@testable import SonicApp

/// A language model's answers are checked like the parser's: nothing it says is trusted that
/// the person did not write.
@Suite struct LanguageModelTests {
    static let bob = TestServices.bob.checksummed

    @Test func aCallIsKeptOnlyWithWhatTheMessageSays() {
        let text = "pls move 2.5 of my coins over to \(Self.bob)"
        let call = AgentTools.parsed("send_tokens", ["to": .string(Self.bob), "amount": .string("2.5")], text: text)
        #expect(call?.intent == .sendTransaction && call?.entities.to == Self.bob.lowercased() && call?.entities.amount == "2.5")
        #expect(call?.entities.token == "S")
        // An address the person never wrote is dropped, whatever the model claims.
        let invented = AgentTools.parsed("send_tokens", ["to": .string("0x" + String(repeating: "1", count: 40)), "amount": .string("2.5")], text: text)
        #expect(invented?.entities.to == nil)
        // Amounts must be decimals, counts in range, functions known.
        #expect(AgentTools.parsed("send_tokens", ["amount": .string("all of it")], text: text)?.entities.amount == nil)
        #expect(AgentTools.parsed("buy_subscription", ["months": .integer(400)], text: "premium for 400 months")?.entities.months == nil)
        #expect(AgentTools.parsed("buy_subscription", ["months": .string("6")], text: "half a year")?.entities.months == 6)
        #expect(AgentTools.parsed("delete_everything", [:], text: text) == nil)
    }

    /// A model the test scripts.
    struct ScriptedModel: LanguageModel {
        let answer: Result<ModelAnswer, LanguageModelError>
        var name: String { "the scripted model" }
        func interpret(_ message: String) async throws(LanguageModelError) -> ModelAnswer { try answer.get() }
    }

    func agent(_ answer: Result<ModelAnswer, LanguageModelError>) throws -> (AgentService, TestServices) {
        let services = try TestServices()
        var agent = services.app.agent
        agent.model = ScriptedModel(answer: answer)
        return (agent, services)
    }

    @Test func aMessageTheParserCannotPlaceGoesToTheModelAndItsCallIsPlanned() async throws {
        let (agent, services) = try agent(.success(.call(name: "check_balance", arguments: [:])))
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(4) }
        let answer = try await agent.handle(message: "yo how loaded am i rn", conversation: nil, signedIn: TestServices.alice)
        #expect(answer.model == "the scripted model" && answer.reply == "\(TestServices.alice.checksummed) holds 4 S at block 100.")
    }

    @Test func whenTheModelFailsTheAgentAnswersWithoutIt() async throws {
        let (agent, _) = try agent(.failure(.unreachable("connection refused")))
        let answer = try await agent.handle(message: "yo how loaded am i rn", conversation: nil, signedIn: TestServices.alice)
        #expect(answer.model == nil && !answer.reply.isEmpty)
    }

    /// The configured provider decides which model the agent is given; none, no model.
    @Test func theConfiguredProviderMakesItsModel() throws {
        let gemini = try Configuration(environment: ["SONIC_LLM_PROVIDER": "gemini", "SONIC_LLM_API_KEY": "k"])
        let transport = HTTPTransport()
        #expect(makeLanguageModel(for: gemini, transport: transport)?.name == "Gemini")
        #expect(makeLanguageModel(for: try Configuration(environment: ["SONIC_LLM_PROVIDER": "openai"]), transport: transport)?.name
                == "the OpenAI-compatible model")
        #expect(makeLanguageModel(for: try Configuration(environment: [:]), transport: transport) == nil)
    }
}
