import AppTestSupport
import Ethereum
import Foundation
import SonicConfig
import SonicHTTP
import Testing
@testable import SonicAPI

/// No free identity: what one client IP gets, however many keys it signs in with.
@Suite struct AdmissionTests {
    /// A fresh key for each number, as an attacker makes them.
    static func freshKey(_ number: Int) throws -> PrivateKey {
        try PrivateKey(hex: "0x" + String(repeating: "0", count: 60) + String(format: "%04x", number + 1))
    }

    /// The attack: eight sessions, each with a fresh key, from one IP. Each session's bucket is
    /// twice the per-IP limit (20 here), which would let the IP through 160 times; the ceiling
    /// (40) holds them all to 40, and the refusal says why.
    @Test func manySessionsFromOneIPShareItsCeiling() throws {
        let test = try EndpointTests(environment: ["SONIC_RATE_LIMIT_PER_MINUTE": "10", "SONIC_IP_CEILING_PER_MINUTE": "40",
                                                   "SONIC_SIGN_INS_PER_HOUR": "0"])
        var sessions: [[String: String]] = []
        for number in 0..<8 {
            sessions.append(try test.signIn(Self.freshKey(number)))
            test.services.clock.advance(60)  // every bucket full again: the burst below starts fresh
        }
        var admitted = 0
        var refusal = Response(status: .ok)
        for session in sessions {
            for _ in 0..<20 {
                let answer = test.get("/api/auth/me", headers: ["cookie": session["cookie"]!])
                if answer.status == 200 { admitted += 1 } else { refusal = answer }
            }
        }
        #expect(admitted == 40)
        #expect(refusal.status == 429 && refusal.header("Retry-After") == "2")
        #expect(test.json(refusal)["detail"] as? String
                == "at most 40 requests a minute from one network address, however many sessions it holds; try again in 2 s")
        // Another address is not held back by this one's burst.
        #expect(test.get("/api/network", from: "10.9.9.9").status == 200)
    }

    /// By default the ceiling is 16 times the per-IP limit: four subscribers behind one address.
    @Test func theDefaultCeilingFitsAHousehold() throws {
        #expect(try Configuration(environment: [:]).ipCeilingPerMinute == 960)
        #expect(try Configuration(environment: ["SONIC_RATE_LIMIT_PER_MINUTE": "10"]).ipCeilingPerMinute == 160)
        #expect(throws: ConfigurationError.self) { try Configuration(environment: ["SONIC_SIGN_INS_PER_HOUR": "-1"]) }
    }

    /// Nonces and verifications count against the IP's sign-ins an hour, whatever the key.
    @Test func signInsAreLimitedPerIP() throws {
        let test = try EndpointTests(environment: ["SONIC_SIGN_INS_PER_HOUR": "4"])
        _ = try test.signIn(Self.freshKey(1))
        _ = try test.signIn(Self.freshKey(2))
        let refused = test.get("/api/auth/nonce")
        #expect(refused.status == 429 && refused.header("Retry-After") == "900")
        #expect(test.json(refused)["detail"] as? String == "at most 4 sign-in requests an hour from one network address; try again in 900 s")
        #expect(test.get("/api/auth/nonce", from: "10.9.9.9").status == 200)
        test.services.clock.advance(900)
        #expect(test.get("/api/auth/nonce").status == 200)
    }
}
