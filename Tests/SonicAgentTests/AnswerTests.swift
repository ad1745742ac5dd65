import Ethereum
import Foundation
import Testing
@testable import SonicAgent

/// The agent answers what was asked: a token's balance for a token question, history for the
/// days named, knowledge for a general question, small talk in kind, the request wherever it
/// stands in a long message, and an honest word about languages it does not read.
@Suite struct AnswerTests {
    let planner = Planner(knownTokens: ["S", "WS", "USDC", "SUSD"])
    static let me = PlannerTests.me
    static let bob = PlannerTests.bob

    func say(_ lines: [String], connected: Address? = me) -> [Action] { planner.say(lines, connected: connected) }

    @Test func aTokenQuestionAnswersThatTokenAndABalanceQuestionListsThemAll() {
        #expect(say(["how much SUSD do I have?", "do I have any SUSD?", "got any USDC?", "what's my USDC balance", "how many FOO do I hold?"]) == [
            .balance(address: Self.me, token: .symbol("SUSD")), .balance(address: Self.me, token: .symbol("SUSD")),
            .balance(address: Self.me, token: .symbol("USDC")), .balance(address: Self.me, token: .symbol("USDC")),
            .balance(address: Self.me, token: .symbol("FOO")),
        ])
        #expect(say(["what's my balance?", "show my portfolio", "how much S do I have", "show all my tokens"]) == [
            .balances(address: Self.me), .balances(address: Self.me), .balance(address: Self.me, token: .native), .balances(address: Self.me),
        ])
        // Coins mentioned in a request are no balance question (a model may place it).
        #expect(!MessageParser().understand("hook my pal up with three coins").confident)
    }

    @Test func historyQuestionsCarryTheirDays() {
        #expect(say(["what did I do today?", "did I receive anything today", "what did I send yesterday", "any activity in the last 3 days?",
                     "what happened this week", "did anyone send me anything today"]) == [
            .history(address: Self.me, limit: nil, period: .today), .history(address: Self.me, limit: nil, period: .today, flow: .incoming),
            .history(address: Self.me, limit: nil, period: .yesterday, flow: .outgoing), .history(address: Self.me, limit: nil, period: .lastDays(3)),
            .history(address: Self.me, limit: nil, period: .lastDays(7)), .history(address: Self.me, limit: nil, period: .today, flow: .incoming),
        ])
    }

    @Test func generalQuestionsGoToTheKnowledgeBase() {
        #expect(say(["what is Sonic?", "tell me about sonic"]) == [.answer(query: "what is Sonic?"), .answer(query: "tell me about sonic")])
    }

    @Test func smallTalkIsAnsweredInKindAndYesAfterACardPointsToTheWallet() {
        #expect(say(["hi", "hello there!", "thanks", "thank you!", "bye", "what's up", "ok cool"])
                == [.smallTalk(.greeting), .smallTalk(.greeting), .smallTalk(.thanks), .smallTalk(.thanks), .smallTalk(.goodbye), .smallTalk(.greeting), .smallTalk(.acknowledgement)])
        #expect(say(["send 1 S to \(Self.bob)", "yes", "ok"]).dropFirst() == [.confirmInWallet, .confirmInWallet])
        #expect(say(["buy 2 months of premium", "yes please"]).last == .confirmInWallet)
        // A yes with nothing shown is not taken for a confirmation.
        #expect(say(["yes"]) == [.clarify(question: "Nothing is waiting for a yes right now. What would you like to do? For example \"what is my balance?\" or \"send 5 S to 0x…\".")])
        #expect(say(["cancel my subscription"]) == [.clarify(question: "Premium does not renew by itself, so there is nothing to cancel: it ends when the paid time runs out. Nothing was prepared.")])
    }

    @Test func aCostQuestionIsAboutFeesAndNamesItsTransferWhenItCan() {
        #expect(say(["how much will it cost to send 1 S?", "what's the fee to send 5 SUSD to \(Self.bob)"]) == [
            .gasPrice, .transferCost(from: Self.me, to: PlannerTests.bobAddress, amount: PlannerTests.amount("5"), token: .symbol("SUSD")),
        ])
    }

    @Test func theRequestIsFoundAnywhereInALongMessage() {
        let long = "Hi! I was reading about swapping and exchanges all morning, and the DEX rates confused me, honestly. "
            + "My sister lent me money last week. Anyway please send 4.2 S to \(Self.bob), thanks."
        #expect(say([long]) == [.send(from: Self.me, to: PlannerTests.bobAddress, amount: PlannerTests.amount("4.2"), token: .native)])
        #expect(MessageParser().parse(long).intent == .sendTransaction)
        // A story that mentions coming funds does not turn the request round; two requests stay two.
        #expect(say(["My friend sent me 10 S from \(PlannerTests.carol) last week. Now I need to send 1 S to \(Self.bob)."])
                == [.send(from: Self.me, to: PlannerTests.bobAddress, amount: PlannerTests.amount("1"), token: .native)])
        guard case .sendSeveral(_, let transfers, 0) = say(["Send 1 S to \(Self.bob). Then send 2 S to \(PlannerTests.carol)."])[0] else {
            Issue.record("two requests in two sentences were not both kept")
            return
        }
        #expect(transfers.map(\.amount.text) == ["1", "2"])
    }

    @Test func otherLanguagesGetAnHonestAnswerInEnglish() {
        for line in ["¿cuánto tengo en mi cartera?", "quel est mon solde ?", "wie viel habe ich?", "余额是多少", "сколько у меня денег"] {
            guard case .clarify(let text) = say([line])[0] else { Issue.record("\(line)"); continue }
            #expect(text.contains("I can only read English"), "\(line)")
        }
    }

    @Test func aTransferInAnotherLanguageIsSpelledOutBeforeAnyCard() {
        let actions = say(["envoie 12 S à \(Self.bob) s'il te plaît", "oui"])
        guard case .clarify(let text) = actions[0] else { Issue.record("no question: \(actions[0])"); return }
        #expect(text.contains("French") && text.contains("12 S (twelve S)") && text.contains(Self.bob))
        #expect(actions[1] == .send(from: Self.me, to: PlannerTests.bobAddress, amount: PlannerTests.amount("12"), token: .native))
    }

    @Test func figuresAreGroupedAndAddressesChecksummed() throws {
        #expect(say(["send 25000 S"]) == [.clarify(question: "Who should receive the 25,000 S? Give me their address (0x…).")])
        #expect(say(["send USDC to \(Self.bob.lowercased())"]) == [.clarify(question: "How much USDC should I send to \(Self.bob)?")])
        #expect(try DecimalAmount("1500").spelledOut == "one thousand five hundred")
        #expect(try DecimalAmount("0.05").spelledOut == "zero point zero five")
        #expect(try DecimalAmount("1234567.5").grouped == "1,234,567.5")
    }

    /// `sonic agent parse` prints only the entities the labelling rules list: what the planner
    /// reads beyond them (days, several recipients, currencies, shares) stays in the planner.
    @Test func parseOutputHasOnlyTheLabelledEntities() throws {
        let scripts = try ConversationScript.load(try String(contentsOf: ConversationSuiteTests.url, encoding: .utf8))
        let encoder = JSONEncoder()
        for line in scripts.flatMap(\.turns).map(\.say) {
            let parsed = MessageParser().parse(line)
            let object = try JSONSerialization.jsonObject(with: encoder.encode(parsed.entities)) as! [String: Any]
            #expect(Set(object.keys).isSubset(of: DevelopmentSet.entitiesOfIntent[parsed.intent]!), "\(line): \(object.keys.sorted())")
        }
    }
}

/// The conversation suite, Tests/Fixtures/agent-conversations.jsonl: every turn of every
/// script gives the card or question it expects (`make eval` runs the same file).
@Suite struct ConversationSuiteTests {
    static let url = DevelopmentSet.url.deletingLastPathComponent().appendingPathComponent("agent-conversations.jsonl")

    @Test func everyScriptedTurnIsAsExpected() throws {
        try Self.expectEveryTurn(of: "agent-conversations.jsonl", atLeast: 30)
    }

    /// Tests/Fixtures/agent-safety-holdout.jsonl and -2: money-safety conversations written by
    /// helpers who had not read the planner (first runs 80/88 and 80/88 turns, docs/agent.md).
    @Test(arguments: ["agent-safety-holdout.jsonl", "agent-safety-holdout-2.jsonl"])
    func theSafetyHoldOutConversationsAreAsExpected(file: String) throws {
        try Self.expectEveryTurn(of: file, atLeast: 70)
    }

    /// Every turn of every script of the fixture `file` gives what it expects.
    static func expectEveryTurn(of file: String, atLeast count: Int) throws {
        let url = Self.url.deletingLastPathComponent().appendingPathComponent(file)
        let scripts = try ConversationScript.load(try String(contentsOf: url, encoding: .utf8))
        #expect(scripts.count >= count)
        for script in scripts {
            for (turn, result) in zip(script.turns, script.run()) {
                #expect(result.problem == nil, "\(script.name): \"\(turn.say)\": \(result.problem ?? "")")
            }
        }
    }

    @Test func aWrongExpectationIsReported() throws {
        let script = try ConversationScript.load(#"{"name": "x", "turns": [{"say": "send 5 S", "expect": {"kind": "send"}}]}"#)[0]
        #expect(script.run()[0].problem == "kind is clarify, expected send")
    }
}
