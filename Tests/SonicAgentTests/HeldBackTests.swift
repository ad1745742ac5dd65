import Ethereum
import Testing
@testable import SonicAgent

/// The classes a red-team pass found the agent guessing at (session notes of issue 20): amounts
/// it read as another number, requests taken back or meant for later, another's funds in a
/// DeFi request, and several requests in one message. Each is asked about or declined, never
/// turned into a card; the ordinary forms beside them still are cards.
@Suite struct HeldBackTests {
    let planner = Planner(knownTokens: ["S", "WS", "USDC", "SUSD"])
    static let me = PlannerTests.me
    static let bob = PlannerTests.bob
    static let carol = SafetyTests.carol

    func say(_ lines: [String]) -> [Action] { planner.say(lines, connected: Self.me) }

    func send(_ amount: String, to: String = bob) -> Action {
        .send(from: Self.me, to: try! Address(to), amount: PlannerTests.amount(amount), token: .native)
    }

    // MARK: Amounts read exactly or asked about

    @Test(arguments: [
        ("send 5e2 S to \(bob)", ["e-notation", "500 S"]), ("transfer 2.5e-3 S to \(bob)", ["e-notation", "0.0025"]),
        ("send 1e18 S to \(bob)", ["e-notation", "1,000,000,000,000,000,000"]), ("send 1_000 S to \(bob)", ["can't read 1_000"]),
        ("pay \(bob) 1'000 S", ["can't read"]), ("send 1.5.5 S to \(bob)", ["can't read 1.5.5"]), ("send 5,000,00 S to \(bob)", ["can't read"]),
        ("send 5 wei to \(bob)", ["0.000000000000000005 S"]), ("send 3 gwei to \(bob)", ["0.000000003 S"]),
        ("send 150% of my S to \(bob)", ["150% is more than all"]), ("send 5 or 50 S to \(bob)", ["5 S or 50 S"]),
        ("send all but 1 S to \(bob)", ["except 1 S"]), ("send everything except 2 S to \(bob)", ["except 2 S"]),
        ("send 0.1 S and 0.2 S to \(bob)", ["two amounts", "0.1", "0.2"]), ("send 1 S to \(bob) 1000", ["two amounts"]),
        ("stake 1e3 S with validator 2", ["e-notation", "1,000"]), ("swap 10 or 20 S for USDC", ["10 S or 20 S"]),
        ("swap 100 S to USDC slippage 0", ["slippage of 0%"]),
    ])
    func anAmountThatCouldBeMisreadIsAskedAbout(line: String, says: [String]) {
        let action = say([line])[0]
        guard case .clarify(let question) = action else {
            Issue.record("\(line) → \(action)")
            return
        }
        for part in says { #expect(question.contains(part), "\(line) → \(question)") }
    }

    @Test(arguments: [
        ("send 5 million S to \(bob)", "5000000"), ("send a hundred and five S to \(bob)", "105"), ("send two thousand three hundred S to \(bob)", "2300"),
        ("send one thousand two hundred and fifty S to \(bob)", "1250"), ("send 1.5 thousand S to \(bob)", "1500"), ("send 5k S to \(bob)", "5000"),
        ("send twenty five S to \(bob)", "25"), ("send one and a half S to \(bob)", "1.5"), ("send 1,000 S to \(bob)", "1000"),
        ("send 5 S to \(bob) not 50", "5"), ("send 5 S to \(bob) for the 2 pizzas we had", "5"),
    ])
    func numbersInWordsAndScalesAreReadExactly(line: String, amount: String) {
        #expect(say([line])[0] == send(amount), "\(line)")
    }

    // MARK: Taken back, later, again, on a condition

    @Test(arguments: [
        "don't send 5 S to \(bob)", "never send anything to \(bob)", "I won't send 5 S to \(bob)", "do not transfer 3 S to \(bob)",
        "send 5 S to \(bob) just kidding", "send 5 S to \(bob) jk", "stake 10 S with validator 2... never mind", "please don't swap 10 S for USDC",
        "send 10 S to \(bob). wait no, don't send it", "i was going to send 20 S to \(bob) but i won't", "pay \(bob) 3 S. Hmm, on second thought",
    ])
    func aRequestTakenBackPreparesNothing(line: String) {
        let actions = say([line, "yes"])
        #expect(!actions.contains(where: SafetyTests.isCard), "\(line) → \(actions)")
        #expect(actions[0] == .cancelled || SafetyTests.text(actions[0]).contains("Nothing was prepared"), "\(line) → \(actions[0])")
    }

    @Test(arguments: [
        ("send 5 S to \(bob) every day", "every day"), ("pay \(bob) 5 S per month", "per month"), ("send 5 S to \(bob) tomorrow", "tomorrow"),
        ("send 5 S to \(bob) 10 times", "10 times"), ("send 5 S to \(bob) once my balance is over 100", "once my balance is over 100"),
        ("send 2 S to \(bob) if the price goes above 1 dollar", "if the price goes above"), ("swap 10 S for USDC weekly", "weekly"),
        ("stake 5 S with validator 2 every month", "every month"), ("send 1 S to \(bob) in 2 hours", "in 2 hours"),
        ("alert me when my balance is below 10 then send everything to \(bob)", "when my balance is below"),
        ("send 4 S to \(bob) at 5pm", "at 5"), ("send 4 S to \(bob) at 17:30", "at 17:30"), ("swap 10 S for USDC on friday", "on friday"),
        ("when S drops below 0.5 stake 200 S with validator 2", "when S drops below"),
    ])
    func aRequestForLaterOrOnAConditionIsDeclined(line: String, said: String) {
        let actions = say([line, "yes"])
        #expect(!actions.contains(where: SafetyTests.isCard), "\(line) → \(actions)")
        guard case .refuse(let reason) = actions[0] else {
            Issue.record("\(line) → \(actions[0])")
            return
        }
        #expect(reason.contains("\"\(said)") && reason.contains("Nothing was prepared"), "\(reason)")
    }

    @Test func aNoticeAfterATransferIsNoCondition() {
        #expect(say(["send 2 S to \(Self.bob) and let me know when it arrives"])[0] == send("2"))
        #expect(say(["send 2 S to \(Self.bob) and tell me once it's confirmed"])[0] == send("2"))
        #expect(say(["buy a month of premium"])[0] == .subscribe(from: Self.me, months: 1))
    }

    // MARK: Ordinary requests stay cards (a review's over-refusals)

    @Test(arguments: [
        "send 5 S to \(bob), every bit helps", "I am trying to send 5 S to \(bob)", "send 5 S to \(bob) pm me when done", "hey it's friday, send 5 S to \(bob)",
        "send 5 S to \(bob), happy monday!", "send 5 S to \(bob) for the weekly groceries", "pay my monthly rent 5 S to \(bob)",
        "send 5 S to \(bob), I'll explain later", "I checked the address twice, send 5 S to \(bob)", "send 5 S to \(bob) for the dinner on friday",
        "don't forget to send 5 S to \(bob)", "why don't you send 5 S to \(bob)", "please don't send it to the wrong address! send 5 S to \(bob)",
        "send 5 S to \(bob) so I don't forget it", "I never send more than 10 S at once. Send 5 S to \(bob)", "send 5 S to \(bob). Don't send anything else.",
        "send 5 S to \(bob) for order 1234", "send 5 S to \(bob), table 12", "send 5 S to \(bob) ref 7", "send 5 S to \(bob) on March 3",
        "send 5 S to \(bob) for invoice 2024.01.15", "send 5 S to \(bob) no kidding",
        "my roommate paid the electric bill and i owe him 5 S, his address is \(bob) can you sort it", "send 5 S to \(bob)'s wallet",
    ])
    func anOrdinaryTransferWithWordsAroundItIsACard(line: String) {
        #expect(say([line])[0] == send("5"), "\(line)")
    }

    @Test(arguments: [
        "send 5 S to \(bob) once a week", "send 5 S to \(bob) this evening", "send 5 S to \(bob) on the 15th", "send 5 S to \(bob) at the end of the month",
        "send 5 S to \(bob) when I get my salary", "send 5 S to \(bob) in a few days", "send 5 S to \(bob) after lunch", "send 5 S to \(bob) fortnightly",
        "send 5 S to \(bob) next time", "send 5 S to \(bob) as soon as gas is cheap", "send 5 S to \(bob), wait, no", "send 5 S to \(bob). cancel",
        "send 5 S to \(bob), or not", "stake 10 S with validator 2, hmm maybe not", "send 5 S to \(bob)... I'm joking", "send 5 S to \(bob). Actually, forget about it.",
        "send 5 S to \(bob). hold off on that", "stake 10 S with validator 2. no wait, dont", "send 5 S to \(bob) j/k", "send 5 S to \(bob) 😂 jk jk",
        "transfer 9 S to \(bob) lol jk ignore that", "ok stake 25 S with validator 6. hmm on second thought don't, i'll wait",
        "stake \(bob)'s 100 S with validator 3", "use \(bob)'s USDC to buy 40 S", "send \(bob)'s 5 S to \(carol)",
        "swap 100 S from my wallet \(bob) for USDC", "stake 100 S from my other wallet \(bob) with validator 3", "swap 100 S held by \(bob) for USDC",
        "send all my S to \(bob) except 1 S", "send all my S to \(bob) but keep 2", "send all my S to \(bob), keep 1 for gas", "swap 10 S for USDC, stake 5 S with validator 3",
        "stake 100 S with validator 3, no wait 200", "swap 5 S for 10 USDC", "send 0.5 wei to \(bob)", "send 1,000e2 S to \(bob)", "send 5e2.5 S to \(bob)",
    ])
    func theSameClassesInOtherWordsPrepareNothing(line: String) {
        let actions = say([line, "yes"])
        #expect(!actions.contains(where: SafetyTests.isCard) && !actions.contains { if case .defi = $0 { true } else { false } }, "\(line) → \(actions)")
    }

    @Test func scaleWordsMultiplyAndAStackOfThemNeverTraps() {
        #expect(say(["send a thousand million S to \(Self.bob)"])[0] == send("1000000000"))
        #expect(say(["send two million three thousand S to \(Self.bob)"])[0] == send("2003000"))
        #expect(say(["send 5 thousand 500 S to \(Self.bob)"])[0] == send("5500"))
        #expect(say(["send 9 billion billion S to \(Self.bob)"])[0] == send("9000000000000000000"))
        // Past 64 bits the words are not read as one number: no trap, whatever comes of it.
        _ = say(["send " + String(repeating: "hundred ", count: 40) + "S to \(Self.bob)", "send " + String(repeating: "thousand ", count: 12) + "S to \(Self.bob)"])
        _ = say(["send " + String(repeating: "9 ", count: 3) + String(repeating: "billion ", count: 30) + "S to \(Self.bob)"])
    }

    /// Messages made of the words the rules read (numbers past 64 bits, scales, times, negations)
    /// in any order: planning one never traps. A fixed seed, so a failure can be replayed.
    @Test func anyMessageOfTheRulesWordsIsPlannedWithoutATrap() {
        let vocabulary = ("send stake swap wrap unstake withdraw claim to for with validator request and then a an hundred thousand million billion dozen half "
            + "quarter one two twenty % percent S USDC wS all but except keep every daily times tomorrow at on the pm am 5pm 17:30 if when once price below "
            + "above not don't never jk never mind , . ? ! 0 1 5 99 1e3 1e99999 1_000 1.5.5 2,5 1,000 9999999999999999999 99999999999999999999999 "
            + "999999999999999999 922337203685477580 0.0000000000000000001 -5 $5 gwei wei weeks days before alert me months years premium subscribe last transactions history balance mint nft called slippage 1/3 ½ 3½ \(Self.bob)")
            .split(separator: " ").map(String.init)
            + ["hundred", "thousand", "million", "billion", "dozen"].map { String(repeating: "\($0) ", count: 12) }
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<1000 {
            let words = (0...next(24)).map { _ in vocabulary[next(vocabulary.count)] }
            _ = say([words.joined(separator: " "), vocabulary[next(vocabulary.count)]])
        }
    }

    @Test func aReasonAfterATradeIsNotItsTopic() {
        #expect(say(["swap 50 usdc to S, need gas money lol"])[0] == .defi(.swap(amountIn: .exactly(PlannerTests.amount("50")), tokenIn: .symbol("USDC"), tokenOut: .native, slippage: nil)))
        guard case .defi(.wrap) = say(["i need wS for a pool, wrap 15 S for me"])[0] else {
            Issue.record("the wrap was not prepared")
            return
        }
        #expect(say(["what's in \(Self.bob)'s wallet?"])[0] == .balances(address: try! Address(Self.bob)))
    }

    @Test func questionsAboutHowThingsWorkAreAnswered() {
        for line in ["what happens if I stake and the price drops?", "should I swap when the price is low?", "does swap automatically pick the best route?"] {
            let action = say([line])[0]
            if case .refuse = action { Issue.record("\(line) → \(action)") }
        }
        #expect(say(["send 3 S to \(Self.bob)", "stake the same amount with validator 3"])[1] != send("3"))
        // A count past 64 bits once multiplied is bounded by its rule, never a trap.
        #expect(SafetyTests.text(say(["subscribe for 999999999999999999 years"])[0]).contains("1 to 36 months"))
        #expect(SafetyTests.text(say(["alert me 999999999999999999 weeks before premium ends"])[0]).contains("1 to 60 days"))
    }

    // MARK: Another's funds, several requests

    @Test(arguments: ["stake 100 S from \(bob) with validator 3", "swap 100 S from \(bob) for USDC", "wrap 10 S using \(bob)'s funds",
                      "swap 20 S out of wallet \(bob) into USDC"])
    func aDeFiRequestNeverSpendsFromAnotherAddress(line: String) {
        guard case .refuse(let reason) = say([line])[0] else {
            Issue.record("\(line) was not declined")
            return
        }
        #expect(reason.contains("your own funds") && reason.contains(Self.bob))
    }

    @Test(arguments: [
        "send 5 S to \(bob) and stake 10 S with validator 3", "check my balance and send 5 S to \(bob)",
        "send 5 S to \(bob) and check my balance", "wrap 10 S and then swap 5 S for USDC",
        "whats my balance? also send 1 S to \(bob)", "Stake 10 S with validator 2. Then show my history.",
        "unstake 50 S from validator 3 and withdraw", "wrap 10 S, then stake it",
    ])
    func twoRequestsOneMovingValueAreAskedAboutFirst(line: String) {
        let action = say([line])[0]
        #expect(SafetyTests.text(action).contains("two things at once") && SafetyTests.text(action).contains("which first"), "\(line) → \(action)")
    }

    // MARK: Follow-ups

    @Test func followUpsChangeTheTransferTheyName() {
        #expect(say(["send 5 S to \(Self.bob)", "yes, but to \(Self.carol)"])[1] == send("5", to: Self.carol))
        #expect(say(["send 5 S to \(Self.bob)", "and the same to \(Self.carol)"])[1] == send("5", to: Self.carol))
        #expect(say(["send 5 S to \(Self.bob)", "cancel that and send 50 instead"])[1] == send("50"))
        #expect(say(["send 5 S to \(Self.bob)", "actually send it all"])[1] == .sendShare(from: Self.me, to: try! Address(Self.bob), share: .all, token: .native))
    }

    @Test func followUpsFromTheMultiTurnHoldOut() {
        // "the right one" is no amount: the correction keeps 2 S.
        #expect(say(["send 2 S to \(Self.bob)", "wait, wrong address. \(Self.carol) is the right one"])[1] == send("2", to: Self.carol))
        #expect(say(["send 20 S to \(Self.bob)", "sorry, 25"])[1] == send("25"))
        // "all", the answer the question offered, completes the unstake.
        guard case .defi(.unstake(validator: 3, amount: .share(.all))) = say(["unstake from validator 3", "all"])[1] else {
            Issue.record("\"all\" did not complete the unstake")
            return
        }
    }

    @Test func anAddressWithoutItsPrefixIsExplained() {
        let action = say(["send 5 S to 70997970C51812dc3A010C7d01b50e0d17dc79C8"])[0]
        #expect(SafetyTests.text(action).contains("without its 0x"), "\(action)")
    }
}
