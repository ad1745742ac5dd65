import AppTestSupport
import Ethereum
import Foundation
@testable import SonicApp
import SonicHTTP
import SonicStore
import Testing
@testable import SonicAPI

/// Alerts through the API: what everyone signed in may set, what Premium adds, and every
/// refusal naming its field.
@Suite struct AlertAPITests {
    let endpoint = try! EndpointTests(environment: ["SONIC_ALERTS_PER_ADDRESS": "2", "SONIC_ALERTS_PER_SUBSCRIBER": "4"])

    func delete(_ path: String, headers: [String: String]) -> Response {
        endpoint.api.handle(Request(method: .delete, path: path, headers: HTTPFields(headers), remoteAddress: "10.1.2.3"))
    }

    func subscribe(_ active: Bool) {
        endpoint.services.chain.update {
            $0.subscription = .init(expiresAt: active ? 1_900_000_000 : 0, price: TestServices.s(1), active: active, paused: false)
        }
    }

    @Test func signedInPeopleSetAlertsShownInThePageAndPremiumAddsWebhooks() throws {
        subscribe(false)
        let session = try endpoint.signIn()
        let made = endpoint.post("/api/alerts", json: #"{"kind":"incoming","minimum":"2.5"}"#, headers: session)
        #expect(made.status == 201, "\(endpoint.json(made))")
        let alert = try #require(endpoint.json(made)["alert"] as? [String: Any])
        #expect(alert["kind"] as? String == "incoming" && alert["minimum"] as? String == "2.5" && alert["minimum_wei"] as? String == "2500000000000000000")
        #expect(endpoint.json(made)["webhook_secret"] is NSNull)
        let hook = endpoint.post("/api/alerts", json: #"{"kind":"failed","webhook_url":"https://hooks.example.com/in"}"#, headers: session)
        #expect(hook.status == 403 && endpoint.json(hook)["title"] as? String == "Webhooks come with Premium")
        #expect(endpoint.post("/api/alerts", json: #"{"kind":"failed"}"#, headers: session).status == 201)
        let third = endpoint.post("/api/alerts", json: #"{"kind":"premium_ending","days":7}"#, headers: session)
        #expect(third.status == 409 && (endpoint.json(third)["detail"] as? String)?.hasSuffix("remove one, or Premium allows 4") == true)
        let list = endpoint.json(endpoint.get("/api/alerts", headers: session))
        #expect((list["alerts"] as? [[String: Any]])?.count == 2 && list["limit"] as? Int == 2 && list["webhooks"] as? Bool == false)

        subscribe(true)  // just bought: the webhook is not refused on what was known before
        let premium = endpoint.post("/api/alerts", json: #"{"kind":"large_outgoing","minimum":"100","webhook_url":"https://hooks.example.com/in"}"#,
                                    headers: session)
        #expect(premium.status == 201, "\(endpoint.json(premium))")
        let secret = try #require(endpoint.json(premium)["webhook_secret"] as? String)
        #expect(secret.hasPrefix("whsec_") && secret.count == 70)
        let listed = try #require(endpoint.json(endpoint.get("/api/alerts", headers: session))["alerts"] as? [[String: Any]])
        #expect(listed.count == 3 && !String(decoding: endpoint.get("/api/alerts", headers: session).collectedBody(), as: UTF8.self).contains(secret))

        let id = try #require(listed.first?["id"] as? Int)
        #expect(delete("/api/alerts/\(id)", headers: ["cookie": session["cookie"]!]).status == 403)  // no CSRF token
        #expect(delete("/api/alerts/\(id)", headers: session).status == 204)
        #expect(delete("/api/alerts/\(id)", headers: session).status == 404)
        #expect((endpoint.json(endpoint.get("/api/alerts", headers: session))["alerts"] as? [Any])?.count == 2)
    }

    @Test(arguments: [
        (#"{}"#, 422, "kind"), (#"{"kind":"sometimes"}"#, 422, "kind"),
        (#"{"kind":"large_outgoing"}"#, 422, "minimum"), (#"{"kind":"failed","minimum":"1"}"#, 422, "minimum"),
        (#"{"kind":"incoming","minimum":"-1"}"#, 422, "minimum"), (#"{"kind":"incoming","minimum":"1.2.3"}"#, 422, "minimum"),
        (#"{"kind":"premium_ending"}"#, 422, "days"), (#"{"kind":"premium_ending","days":61}"#, 422, "days"),
        (#"{"kind":"incoming","days":3}"#, 422, "days"),
        (#"{"kind":"incoming","webhook_url":"http://169.254.169.254/latest"}"#, 422, "webhook_url"),
        (#"{"kind":"incoming","webhook_url":"ftp://example.com/"}"#, 422, "webhook_url"),
    ])
    func badAlertsAreRefusedNamingTheField(body: String, status: Int, field: String) throws {
        subscribe(true)
        let session = try endpoint.signIn()
        let answer = endpoint.post("/api/alerts", json: body, headers: session)
        #expect(answer.status.code == status && endpoint.json(answer)["field"] as? String == field, "\(endpoint.json(answer))")
        #expect(try endpoint.services.store.alerts(of: EndpointTests.key.address).isEmpty)  // nothing kept
    }

    @Test func signedOutThereAreNoAlertsAndBadQueriesAreNamed() throws {
        #expect(endpoint.get("/api/alerts").status == 401 && endpoint.get("/api/alerts/events").status == 401)
        let session = try endpoint.signIn()
        #expect(endpoint.json(endpoint.get("/api/alerts/events", query: "limit=101", headers: session))["field"] as? String == "limit")
        #expect(endpoint.json(endpoint.get("/api/alerts/events", query: "after=x", headers: session))["field"] as? String == "after")
        #expect(endpoint.json(delete("/api/alerts/abc", headers: session))["field"] as? String == "id")
        #expect((endpoint.json(endpoint.get("/api/alerts/events", headers: session))["events"] as? [Any])?.isEmpty == true)
    }
}

/// Alerts set, listed and stopped in words through the agent: the same service and limits as
/// the card, for the signed-in address only.
@Suite struct AgentAlertTests {
    let endpoint = try! EndpointTests(environment: ["SONIC_ALERTS_PER_ADDRESS": "2"])

    func say(_ message: String, headers: [String: String] = [:]) -> String {
        endpoint.json(endpoint.post("/api/agent", json: #"{"message":"\#(message)"}"#, headers: headers))["reply"] as? String ?? ""
    }

    @Test func theAgentSetsListsAndStopsTheSignedInPersonsAlerts() throws {
        endpoint.services.chain.update {
            $0.subscription = .init(expiresAt: 0, price: TestServices.s(1), active: false, paused: false)
        }
        #expect(say("tell me when I receive S").hasPrefix("Sign in first"))
        let session = try endpoint.signIn()
        let set = say("alert me if I get more than 2.5 S", headers: session)
        #expect(set.hasPrefix("Done: you'll hear when at least 2.5 S arrives.") && set.hasSuffix("You have 1 of 2 alerts."), "\(set)")
        #expect(say("let me know if a transaction of mine fails", headers: session).hasSuffix("You have 2 of 2 alerts."))
        let third = say("alert me if premium is about to end", headers: session)
        #expect(third.contains("has 2 alerts, the most it may have"), "\(third)")
        let alerts = try #require(endpoint.json(endpoint.get("/api/alerts", headers: session))["alerts"] as? [[String: Any]])
        #expect(alerts.compactMap { $0["kind"] as? String } == ["incoming", "failed"] && alerts.first?["minimum"] as? String == "2.5")
        #expect(say("what alerts do I have", headers: session)
                == "You have 2 alerts:\n• you'll hear when at least 2.5 S arrives\n• you'll hear when a transaction of yours fails")
        #expect(say("stop alerting me about failed transactions", headers: session) == "Stopped: you'll hear when a transaction of yours fails.")
        #expect(say("stop the alerts", headers: session) == "Stopped: you'll hear when at least 2.5 S arrives.")
        #expect(say("stop the alerts", headers: session) == "You have no alerts to stop.")
    }
}

/// What the Premium page reads: each plan's figures from the configuration, the weights being
/// the ones admission and the agent's meter apply.
@Suite struct PlansAPITests {
    @Test func thePlansAreTheConfiguredLimitsWithTheirWeights() throws {
        let endpoint = try EndpointTests(environment: ["SONIC_ALERTS_PER_ADDRESS": "2", "SONIC_ALERTS_PER_SUBSCRIBER": "9",
                                                       "SONIC_RATE_LIMIT_PER_MINUTE": "50", "SONIC_LLM_CALLS_PER_DAY": "10"])
        let answer = endpoint.get("/api/plans")
        #expect(answer.status == 200)
        let plans = endpoint.json(answer)
        let signedOut = try #require(plans["signed_out"] as? [String: Any]), signedIn = try #require(plans["signed_in"] as? [String: Any])
        let premium = try #require(plans["premium"] as? [String: Any])
        #expect(signedOut["requests_per_minute"] as? Int == 50 && signedOut["alerts"] as? Int == 0 && signedOut["webhooks"] as? Bool == false)
        #expect(signedIn["requests_per_minute"] as? Int == 100 && signedIn["model_calls_per_day"] as? Int == 10 && signedIn["alerts"] as? Int == 2)
        #expect(signedIn["webhooks"] as? Bool == false)
        #expect(premium["requests_per_minute"] as? Int == 200 && premium["model_calls_per_day"] as? Int == 40 && premium["alerts"] as? Int == 9)
        #expect(premium["webhooks"] as? Bool == true)
    }
}
