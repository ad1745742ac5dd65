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

    /// A DeFi call carries its action and details only as the labels allow, each checked against the text.
    @Test func aDeFiCallIsCheckedLikeAnyOther() {
        let text = "put seventy coins behind node 4 for me"
        let call = AgentTools.parsed("defi_question", ["action": .string("stake"), "amount": .string("70"), "validator": .integer(4)], text: text)
        #expect(call?.intent == .defiQuery && call?.entities.action == .defi(.stake) && call?.entities.amount == "70")
        #expect(call?.entities.token == "S" && call?.entities.validator == 4)
        // Planned like the parser's reading: the model's checked validator and amount make the stake.
        let planned = Planner(knownTokens: ["S"]).plan(text, connected: TestServices.alice, state: ConversationState(), understood: call).1
        #expect(planned == .defi(.stake(validator: 4, amount: .exactly(try! DecimalAmount("70")))))
        // A validator or an amount the message does not state is dropped; an unknown action carries nothing.
        let invented = AgentTools.parsed("defi_question", ["action": .string("stake"), "amount": .string("700"), "validator": .integer(9)], text: text)
        #expect(invented?.entities.amount == nil && invented?.entities.validator == nil)
        #expect(AgentTools.parsed("defi_question", ["action": .string("yolo"), "amount": .string("70")], text: text)?.entities == Entities())
        let revoke = AgentTools.parsed("token_approvals", ["action": .string("revoke"), "token": .string("usdc")], text: "pull the plug on that usdc permission")
        #expect(revoke?.intent == .tokenApproval && revoke?.entities.action == .approval(.revoke) && revoke?.entities.token == "USDC")
    }

    /// The model proposes, the text decides: an amount or a count is kept only when the parser
    /// reads it in the message itself (digits, number words, fractions), and every rule of the
    /// planner applies to a model's call as to the parser's reading.
    @Test func theModelProposesTheTextDecides() {
        #expect(AgentTools.parsed("send_tokens", ["to": .string(Self.bob), "amount": .string("5")], text: "send five S to \(Self.bob)")?.entities.amount == "5")
        #expect(AgentTools.parsed("send_tokens", ["to": .string(Self.bob), "amount": .string("0.5")], text: "send ½ S to \(Self.bob)")?.entities.amount == "0.5")
        #expect(AgentTools.parsed("send_tokens", ["to": .string(Self.bob), "amount": .string("50")], text: "send a few S to \(Self.bob)")?.entities.amount == nil)
        #expect(AgentTools.parsed("buy_subscription", ["months": .integer(2)], text: "premium for a couple of months")?.entities.months == nil)
        let planner = Planner(knownTokens: ["S", "SUSD"])
        func plan(_ text: String, _ arguments: [String: JSONValue]) -> Action {
            planner.plan(text, connected: TestServices.alice, state: ConversationState(), understood: AgentTools.parsed("send_tokens", arguments, text: text)).1
        }
        guard case .refuse = plan("have \(Self.bob) pay me 5 S", ["to": .string(Self.bob), "amount": .string("5")]) else {
            Issue.record("a model's call moved value the wrong way")
            return
        }
        let typo = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293Bc"
        #expect(plan("yo fling 5 S at \(typo)", ["to": .string(typo), "amount": .string("5")])
                == .clarify(question: "\(typo) has a wrong EIP-55 checksum: its mixed case does not match, so a character is probably mistyped. "
                            + "Copy the address again from where you got it; I won't guess which character is wrong."))
        #expect(plan("yo fling some S at \(Self.bob)", ["to": .string(Self.bob), "amount": .string("40")])
                == .clarify(question: "How much S should I send to \(Self.bob)?"))
    }

    @Test func aModelsAmountNotInTheMessageIsAskedAboutThroughTheAPI() async throws {
        let (agent, _) = try agent(.success(.call(name: "send_tokens", arguments: ["to": .string(Self.bob), "amount": .string("30")])))
        let answer = try await agent.handle(message: "yo fling 3 S over to \(Self.bob)", conversation: nil, signedIn: TestServices.alice)
        #expect(answer.cards.isEmpty && answer.reply == "How much S should I send to \(Self.bob)?")
    }

    /// When the planner itself declines or asks (here: an address too short to be one), the
    /// model is not consulted: its text cannot cover the reason up.
    @Test func thePlannersOwnQuestionsAreNotLeftToTheModel() async throws {
        let (agent, _) = try agent(.success(.text("Sure, 5 S are on their way!")))
        let answer = try await agent.handle(message: "yo 0x1234abcd gets 5 S", conversation: nil, signedIn: TestServices.alice)
        #expect(answer.model == nil && answer.reply.hasPrefix("0x1234abcd is not a usable address"))
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
        #expect(answer.model == "the scripted model" && answer.reply == "\(TestServices.alice.checksummed) holds 4 S (about $2.00) at block 100.")
    }

    @Test func whenTheModelFailsTheAgentAnswersWithoutIt() async throws {
        let (agent, _) = try agent(.failure(.unreachable("connection refused")))
        let answer = try await agent.handle(message: "yo how loaded am i rn", conversation: nil, signedIn: TestServices.alice)
        #expect(answer.model == nil && !answer.reply.isEmpty)
    }

    /// Each model call costs money: a signed-in address gets `SONIC_LLM_CALLS_PER_DAY` of them
    /// (four times that as a subscriber), then a 429 that says so; messages the parser
    /// understands never count; the next day the allowance is back.
    @Test func modelCallsAreBoundedPerAddressAndDay() async throws {
        let services = try TestServices(environment: ["SONIC_LLM_CALLS_PER_DAY": "2"])
        var agent = services.app.agent
        let scripted = ScriptedModel(answer: .success(.text("A model's answer.")))
        agent.model = MeteredLanguageModel(model: scripted, calls: services.app.modelCalls, clock: services.clock)
        func ask(_ caller: ModelCaller, _ message: String = "tell me something surprising about zebras and blockchains") async throws -> AgentService.Answer {
            try await ModelCaller.$current.withValue(caller) {
                try await agent.handle(message: message, conversation: nil, signedIn: TestServices.alice)
            }
        }
        let alice = ModelCaller(key: "address:alice", weight: 1)
        #expect(try await ask(alice).model == "the scripted model")
        #expect(try await ask(alice, "what's gas now?").model == nil)  // the parser's: not counted
        #expect(try await ask(alice).model == "the scripted model")
        await #expect(throws: AppError.rateLimited(retryAfter: 43_200, detail:
            "the agent's language model answers at most 2 messages a day for you (four times that with premium); used up, try again in 12 h "
            + "or write the request plainly, e.g. \"send 1 S to 0x…\"")) { try await ask(alice) }
        // A subscriber's allowance is four times as large; another address has its own.
        let subscriber = ModelCaller(key: "address:carol", weight: 4)
        for _ in 0..<8 { #expect(try await ask(subscriber).model == "the scripted model") }
        await #expect(throws: AppError.self) { try await ask(subscriber) }
        #expect(try await ask(ModelCaller(key: "address:bob", weight: 1)).model == "the scripted model")
        services.clock.advance(86_400)
        #expect(try await ask(alice).model == "the scripted model")
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
