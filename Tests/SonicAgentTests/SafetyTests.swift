import Ethereum
import Foundation
import Testing
@testable import SonicAgent

/// The agent never moves value the wrong way and never guesses: each class of issue 17, in
/// words other than the conversation suite's. A card (`.send…`) appears only for a transfer
/// out of the person's own wallet, to an address they wrote in full, of an amount they meant.
@Suite struct SafetyTests {
    let planner = Planner(knownTokens: ["S", "WS", "USDC", "SUSD"])
    static let me = PlannerTests.me
    static let bob = PlannerTests.bob
    static let carol = PlannerTests.carol
    static let bobAddress = PlannerTests.bobAddress
    static let carolAddress = try! Address(carol)

    func say(_ lines: [String], connected: Address? = me) -> [Action] { planner.say(lines, connected: connected) }

    static func text(_ action: Action) -> String {
        switch action {
        case .clarify(let text), .refuse(let text): text
        default: ""
        }
    }

    static func isCard(_ action: Action) -> Bool {
        switch action {
        case .send, .sendShare, .sendSeveral, .subscribe: true
        default: false
        }
    }

    // MARK: Direction

    @Test(arguments: [
        "move 3 S from \(bob) to me", "I'd like \(bob) to send me 2 S", "please transfer 40 S from \(bob) into my account",
        "get 5 S from \(bob)", "invoice \(bob) for 12 S", "\(bob) owes me 7 S, collect it", "send me 10 S", "pay me 1 S from \(carol)",
        "can you move 10 S out of \(bob)'s wallet into mine", "\(bob) should send me 4 S", "I need \(bob) to transfer 3 S to my address",
        "send 10 S to \(carol) on behalf of \(bob)", "send 10 S to \(carol) using \(bob)'s funds", "could you make \(bob) send 3 S to \(carol)",
        "refund me 5 S", "I'm owed 5 S by \(bob)",
    ])
    func valueNeverComesFromSomeoneElse(line: String) {
        let actions = say([line, "yes"])
        #expect(!actions.contains(where: Self.isCard), "\(line) became a card")
        guard case .refuse(let reason) = actions[0] else {
            Issue.record("\(line) was not declined: \(actions[0])")
            return
        }
        #expect(reason.contains("only send your own funds") && reason.contains("payment request") && reason.contains(Self.me.checksummed))
    }

    @Test func fromMyOwnWalletIsAnOrdinaryTransfer() {
        #expect(say(["send 2 S from \(Self.me.checksummed) to \(Self.bob)"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("2"), token: .native)])
        #expect(say(["send 2 S to my other wallet \(Self.bob)"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("2"), token: .native)])
        #expect(say(["send 5 S to \(Self.bob) to pay for dinner"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("5"), token: .native)])
        #expect(say(["give 1 S to \(Self.bob) so \(Self.bob) can pay rent"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("1"), token: .native)])
    }

    // MARK: Addresses

    @Test func aWrongChecksumIsALikelyTypoAndTheAmountWaits() {
        let typo = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293Bc"
        let actions = say(["pay 6 S to \(typo)", "\(Self.carol)"])
        #expect(Self.text(actions[0]).contains("\(typo) has a wrong EIP-55 checksum") && Self.text(actions[0]).contains("mistyped"))
        #expect(actions[1] == .send(from: Self.me, to: Self.carolAddress, amount: PlannerTests.amount("6"), token: .native))
        #expect(Self.text(say(["balance of \(typo)"])[0]).contains("checksum"))
    }

    @Test(arguments: [
        ("send 1 S to 0xdeadbeef", "not a usable address"), ("transfer 4 S to 0x7099…79C8", "shortened"),
        ("send 2 S to alice.sonic", "is a name, not an address"), ("what's the balance of 0x12ab", "has 4"),
        ("history of nick.eth", "is a name"), ("send 3 S to 0xZZ70997970c51812dc3a010c7d01b50e0d17dc79", "other characters"),
    ])
    func whatIsNotAnAddressIsExplained(line: String, reason: String) {
        let action = say([line])[0]
        #expect(Self.text(action).contains(reason), "\(line): \(action)")
        #expect(!Self.text(action).contains("Who should receive"))
    }

    @Test(arguments: [("send 1 S to alice", "\"alice\""), ("send 2 S to my friend", "\"my friend\""), ("pay 3 S to Bob please", "\"Bob\"")])
    func aNameIsNotARecipient(line: String, name: String) {
        let actions = say([line, Self.bob])
        #expect(Self.text(actions[0]).hasPrefix("I can't send to \(name): I only send to addresses"), "\(line): \(actions[0])")
        guard case .send(_, let to, _, _) = actions[1] else { Issue.record("no card once the address came: \(actions[1])"); return }
        #expect(to == Self.bobAddress)
    }

    @Test func anInvalidAddressIsNeverReplacedByMine() {
        for line in ["the balance of 0x1234", "show the history of 0x99", "how much USDC does 0xabc hold"] {
            let action = say([line])[0]
            guard case .clarify = action else { Issue.record("\(line) gave \(action)"); continue }
        }
    }

    @Test func sendingToMyselfIsPointedOutAndNeedsAYes() {
        let actions = say(["send 0.5 S to \(Self.me.lowercased)", "go ahead"])
        #expect(Self.text(actions[0]).contains("is your own address"))
        #expect(actions[1] == .send(from: Self.me, to: Self.me, amount: PlannerTests.amount("0.5"), token: .native))
        #expect(!Self.isCard(say(["send 0.5 S to \(Self.me.lowercased)", "what's gas now?"])[1]))
    }

    // MARK: Alternatives and several transfers

    @Test func alternativesAreAskedAboutNeverPicked() {
        for line in ["send 3 S to \(Self.bob) or \(Self.carol)", "give 3 S to either \(Self.bob) or \(Self.carol), whoever", "3 S to \(Self.bob) or maybe \(Self.carol)"] {
            let actions = say([line, Self.carol])
            #expect(Self.text(actions[0]).contains(Self.bob) && Self.text(actions[0]).contains(Self.carol), "\(line)")
            #expect(actions[1] == .send(from: Self.me, to: Self.carolAddress, amount: PlannerTests.amount("3"), token: .native))
        }
    }

    @Test func severalTransfersAreSaidBackAndPreparedOneAtATime() {
        let transfers = [Transfer(to: Self.bobAddress, amount: PlannerTests.amount("1.5"), token: .native),
                         Transfer(to: Self.carolAddress, amount: PlannerTests.amount("2"), token: .symbol("USDC"))]
        let actions = say(["transfer 1.5 S to \(Self.bob), and 2 USDC to \(Self.carol)", "sent, what's next?", "next"])
        #expect(actions[0] == .sendSeveral(from: Self.me, transfers: transfers, next: 0))
        #expect(actions[1] == .sendSeveral(from: Self.me, transfers: transfers, next: 1))
        #expect(actions[2] == .confirmInWallet)
        let each = [Transfer(to: Self.bobAddress, amount: PlannerTests.amount("2"), token: .native),
                    Transfer(to: Self.carolAddress, amount: PlannerTests.amount("2"), token: .native)]
        #expect(say(["send 2 S each to \(Self.bob) and \(Self.carol)"]) == [.sendSeveral(from: Self.me, transfers: each, next: 0)])
        let asked = say(["send 2 S to \(Self.bob) and \(Self.carol)", "both"])
        #expect(Self.text(asked[0]).contains("say how much each gets") && asked[1] == .sendSeveral(from: Self.me, transfers: each, next: 0))
    }

    // MARK: Cancel

    @Test(arguments: ["cancel", "never mind", "stop", "forget it", "nevermind", "no", "scratch that", "don't send it", "abort please", "no, don't", "I changed my mind"])
    func cancelMeansCancel(word: String) {
        let actions = say(["send 5 S to \(Self.bob)", word, "make that 4"])
        #expect(actions[1] == .cancelled)
        #expect(Self.text(actions[2]).contains("no transfer to change"))
        let draft = say(["send 5 S", word, "make it 4"])
        #expect(draft[1] == .cancelled && !Self.isCard(draft[2]))
    }

    @Test func changingTheRecipientKeepsTheAmount() {
        for change in ["actually to \(Self.carol)", "no, send it to \(Self.carol) instead", "change the recipient to \(Self.carol)", "oops, I meant \(Self.carol)"] {
            #expect(say(["send 7.25 S to \(Self.bob)", change]).last == .send(from: Self.me, to: Self.carolAddress, amount: PlannerTests.amount("7.25"), token: .native), "\(change)")
        }
    }

    // MARK: Amounts

    @Test(arguments: [("send €25 to \(bob)", "euros"), ("pay \(bob) 30 dollars", "US dollars"), ("send 10 USD to \(bob)", "US dollars"), ("send £5 to \(bob)", "pounds")])
    func currenciesAreAskedAbout(line: String, currency: String) {
        let actions = say([line, "12"])
        #expect(Self.text(actions[0]).contains(currency) && Self.text(actions[0]).contains("How much S should I send?"), "\(line)")
        #expect(actions[1] == .send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("12"), token: .native))
    }

    @Test func languageDependentNumbersAreSpelledOut() {
        let spanish = say(["manda 2.000 S a \(Self.bob)", "2000"])
        #expect(Self.text(spanish[0]).contains("2,000 S (two thousand) or 2 S (two)"))
        #expect(spanish[1] == .send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("2000"), token: .native))
        let german = say(["sende 1,250 S an \(Self.bob)"])
        #expect(Self.text(german[0]).contains("one thousand two hundred fifty") && Self.text(german[0]).contains("one point two five"))
        // "1 500" groups thousands with a space: never 500 S or 1 S.
        #expect(Self.text(say(["envoie 1 500 S à \(Self.bob)"])[0]).contains("1,500 S (one thousand five hundred)"))
        // A decimal comma in English: 1.5 or 15? "0,5" can only be a half.
        #expect(Self.text(say(["send 1,5 S to \(Self.bob)"])[0]).contains("1.5 S (one point five) or 15 S (fifteen)"))
        #expect(say(["send 0,5 S to \(Self.bob)"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("0.5"), token: .native)])
        // In English, a comma groups thousands: no question.
        #expect(say(["send 1,250 S to \(Self.bob)"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("1250"), token: .native)])
    }

    @Test func sharesAndFractionsAreUnderstood() {
        #expect(say(["send ½ S to \(Self.bob)"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("0.5"), token: .native)])
        #expect(say(["send 1½ S to \(Self.bob)"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("1.5"), token: .native)])
        #expect(say(["send half an S to \(Self.bob)"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("0.5"), token: .native)])
        #expect(say(["transfer half of my USDC to \(Self.bob)"]) == [.sendShare(from: Self.me, to: Self.bobAddress, share: .fraction(numerator: 1, denominator: 2), token: .symbol("USDC"))])
        #expect(say(["send everything to \(Self.bob)"]) == [.sendShare(from: Self.me, to: Self.bobAddress, share: .all, token: .native)])
        #expect(say(["send max S to \(Self.bob)"]) == [.sendShare(from: Self.me, to: Self.bobAddress, share: .all, token: .native)])
        #expect(say(["send 25% of my S to \(Self.bob)"]) == [.sendShare(from: Self.me, to: Self.bobAddress, share: .fraction(numerator: 25, denominator: 100), token: .native)])
        #expect(say(["send my entire balance", Self.bob]).last == .sendShare(from: Self.me, to: Self.bobAddress, share: .all, token: .native))
        #expect(say(["send all S to \(Self.bob)"]) == [.sendShare(from: Self.me, to: Self.bobAddress, share: .all, token: .native)])
        #expect(say(["send half to \(Self.bob)"]) == [.sendShare(from: Self.me, to: Self.bobAddress, share: .fraction(numerator: 1, denominator: 2), token: .native)])
        // "1/2 S" is half an S, never 1 S; "1/3 S" has no exact decimal and is asked about.
        #expect(say(["send 1/2 S to \(Self.bob)"]) == [.send(from: Self.me, to: Self.bobAddress, amount: PlannerTests.amount("0.5"), token: .native)])
        #expect(say(["send 1/3 S to \(Self.bob)"]) == [.clarify(question: "How much S should I send to \(Self.bob)?")])
        // Answers to "how much?".
        #expect(say(["send S to \(Self.bob)", "half"]).last == .sendShare(from: Self.me, to: Self.bobAddress, share: .fraction(numerator: 1, denominator: 2), token: .native))
        #expect(Self.text(say(["send S to \(Self.bob)", "-3"]).last!).contains("-3 is a negative amount"))
        // "that's all" is not a share of anything.
        #expect(say(["send 5 S", "thanks, that's all"]).last == .smallTalk(.thanks))
    }

    @Test(arguments: ["send -5 S to \(bob)", "transfer −2 S to \(bob)", "send minus 3 S to \(bob)", "send minus five S to \(bob)"])
    func negativeAmountsGetAReason(line: String) {
        let action = say([line])[0]
        #expect(Self.text(action).contains("negative amount"), "\(line): \(action)")
        #expect(Self.text(say(["send 0 S to \(Self.bob)"])[0]).contains("would send nothing"))
    }
}
