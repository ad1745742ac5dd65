import Ethereum
import Testing
@testable import SonicAgent

/// Alerts asked for in words: labelled general_query (the closed intents have none), planned as
/// `Action.alert` for a signed-in person, "sign in first" otherwise; what is not about alerts
/// stays what it was.
@Suite struct AlertRequestTests {
    let planner = Planner(knownTokens: ["S", "WS", "USDC"])
    static let me = try! Address("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")

    func action(_ text: String, connected: Address? = me) -> Action {
        planner.plan(text, connected: connected, state: ConversationState()).1
    }

    @Test(arguments: [
        ("tell me when I receive S", AlertRequest.set(.incoming, minimum: nil, days: nil)),
        ("Notify me when someone sends me S", .set(.incoming, minimum: nil, days: nil)),
        ("alert me if I get more than 100 S", .set(.incoming, minimum: try! DecimalAmount("100"), days: nil)),
        ("alert me if premium is about to end", .set(.premiumEnding, minimum: nil, days: 7)),
        ("remind me 3 days before my subscription expires", .set(.premiumEnding, minimum: nil, days: 3)),
        ("warn me a week before premium runs out", .set(.premiumEnding, minimum: nil, days: 7)),
        ("let me know if a transaction of mine fails", .set(.failed, minimum: nil, days: nil)),
        ("alert me when more than 500 S leaves my wallet", .set(.largeOutgoing, minimum: try! DecimalAmount("500"), days: nil)),
        ("what alerts do I have", .list),
        ("show my notifications", .list),
        ("stop the alerts", .stop(nil)),
        ("turn off all my notifications", .stop(nil)),
        ("stop alerting me about failed transactions", .stop(.failed)),
    ])
    func alertRequestsArePlannedForTheSignedInAddress(text: String, request: AlertRequest) {
        #expect(MessageParser().parse(text).intent == .generalQuery, "\(text)")
        #expect(action(text) == .alert(request, address: Self.me), "\(text)")
    }

    @Test func signedOutTheAnswerIsToSignInFirst() {
        #expect(action("tell me when I receive S", connected: nil) == .clarify(question: Planner.signInForAlerts))
        #expect(action("stop the alerts", connected: nil) == .clarify(question: Planner.signInForAlerts))
    }

    @Test func aLargeOutgoingAlertNeedsItsAmountAndPremiumItsRange() {
        guard case .clarify(let question) = action("notify me about large outgoing transfers") else { Issue.record("no question"); return }
        #expect(question.contains("how much S"))
        guard case .clarify(let range) = action("remind me 90 days before premium ends") else { Issue.record("no question"); return }
        #expect(range.contains("1 to 60 days"))
    }

    @Test(arguments: [
        ("when does my premium expire?", Intent.subscriptionStatus),
        ("did I receive anything today?", .transactionHistory),
        ("I want to delegate 50 S to validator 3, please let me know when it's done.", .defiQuery),
        ("send 2 S to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 and let me know when it arrives", .sendTransaction),
    ])
    func whatIsNotAboutAlertsKeepsItsIntent(text: String, intent: Intent) {
        #expect(MessageParser().parse(text).intent == intent, "\(text)")
        if case .alert = action(text) { Issue.record("\(text) planned as an alert") }
    }
}
