import Foundation
import Testing
@testable import SonicAgent

/// DeFi requests, allowances and wrapping, in phrasings beyond the development set, labelled by
/// Tests/Fixtures/agent-labels.md. Expected entities are written as the labels are, in JSON.
@Suite struct RequestTests {
    let parser = MessageParser()
    static let router = "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec"

    static let requests: [(String, Intent, String)] = [
        // Staking: delegate is stake, undelegate is unstake; S when no token is named.
        ("stake 1000 S", .defiQuery, #"{"action": "stake", "amount": "1000", "token": "S"}"#),
        ("I want to stake 1000 S", .defiQuery, #"{"action": "stake", "amount": "1000", "token": "S"}"#),
        ("can you delegate 250 sonic to validator #3 for me", .defiQuery, #"{"action": "stake", "amount": "250", "token": "S", "validator": 3}"#),
        ("let's stake twenty S with validator 2", .defiQuery, #"{"action": "stake", "amount": "20", "token": "S", "validator": 2}"#),
        ("deposit 100 S into staking", .defiQuery, #"{"action": "stake", "amount": "100", "token": "S"}"#),
        ("please undelegate 100 S from validator id 12", .defiQuery, #"{"action": "unstake", "amount": "100", "token": "S", "validator": 12}"#),
        ("unstake half of my S", .defiQuery, #"{"action": "unstake", "token": "S"}"#),
        ("stake 50% of my S", .defiQuery, #"{"action": "stake", "token": "S"}"#),
        ("withdraw 40 S from validator 8", .defiQuery, #"{"action": "withdraw", "amount": "40", "token": "S", "validator": 8}"#),
        ("collect my staking rewards", .defiQuery, #"{"action": "claim_rewards"}"#),
        ("harvest my farm rewards", .defiQuery, #"{"action": "claim_rewards"}"#),
        ("compound my rewards with validator 4", .defiQuery, #"{"action": "restake", "validator": 4}"#),
        // Lending: deposit or supply into a market is lend; the first amount and token named.
        ("supply 1,000 USDC to silo", .defiQuery, #"{"action": "lend", "amount": "1000", "token": "USDC"}"#),
        ("deposit 300 usdc into aave", .defiQuery, #"{"action": "lend", "amount": "300", "token": "USDC"}"#),
        ("borrow 50 USDC against my S", .defiQuery, #"{"action": "borrow", "amount": "50", "token": "USDC"}"#),
        ("repay 20 USDC", .defiQuery, #"{"action": "repay", "amount": "20", "token": "USDC"}"#),
        ("pay back my USDC loan", .defiQuery, #"{"action": "repay", "token": "USDC"}"#),
        // Liquidity.
        ("provide liquidity with 100 S and 50 USDC", .defiQuery, #"{"action": "add_liquidity", "amount": "100", "token": "S"}"#),
        ("put 100 USDC in the S/USDC pool on shadow", .defiQuery, #"{"action": "add_liquidity", "amount": "100", "token": "USDC"}"#),
        ("remove my liquidity from the wS/USDC pool", .defiQuery, #"{"action": "remove_liquidity", "token": "WS"}"#),
        // Questions and requests for information: no action and no other entity.
        ("how do I unstake my S?", .defiQuery, "{}"),
        ("can I borrow USDC against my S?", .defiQuery, "{}"),
        ("what are my staking rewards", .defiQuery, "{}"),
        ("show my delegations to validator 15", .defiQuery, "{}"),
        ("which pool has the best APY for USDC", .defiQuery, "{}"),
        ("should I stake 100 S with validator 3?", .defiQuery, "{}"),
        ("I staked 100 S yesterday, where are my rewards?", .defiQuery, "{}"),
        ("I want to know how long unstaking takes", .defiQuery, "{}"),
        // Allowances: revoke when asked to, the token when named (not the place: "the Shadow router").
        ("show my token approvals", .tokenApproval, "{}"),
        ("list my USDC allowances", .tokenApproval, #"{"token": "USDC"}"#),
        ("which contracts can spend my wS?", .tokenApproval, #"{"token": "WS"}"#),
        ("revoke all my approvals", .tokenApproval, #"{"action": "revoke"}"#),
        ("please revoke the USDC approval for the Shadow router", .tokenApproval, #"{"action": "revoke", "token": "USDC"}"#),
        ("cancel the allowance I gave \(router)", .tokenApproval, #"{"action": "revoke"}"#),
        ("how do I revoke an allowance?", .tokenApproval, "{}"),
        ("how much gas does revoking an approval cost", .gasPrice, "{}"),
        // Wrapping is a swap of the coin for its wrapped token, and back.
        ("wrap 10 sonic", .swap, #"{"amount": "10", "token_in": "S", "token_out": "WS"}"#),
        ("can you wrap 2.5 S into wS", .swap, #"{"amount": "2.5", "token_in": "S", "token_out": "WS"}"#),
        ("unwrap my wS", .swap, #"{"token_in": "WS", "token_out": "S"}"#),
        ("unwrap everything back to S", .swap, #"{"token_in": "WS", "token_out": "S"}"#),
        ("send 5 wrapped sonic to \(router)", .sendTransaction, #"{"amount": "5", "token": "WS", "to": "0x1cbd3b2770909d4e10f157cabc84c7264073c9ec"}"#),
    ]

    @Test(arguments: requests)
    func request(text: String, intent: Intent, entities: String) throws {
        let parsed = parser.parse(text)
        #expect(parsed.intent == intent, "\(text)")
        #expect(parsed.entities == (try JSONDecoder().decode(Entities.self, from: Data(entities.utf8))), "\(text)")
    }

    /// `sonic agent parse` prints only the entities the labels list for the intent.
    @Test func eachIntentCarriesOnlyItsEntities() throws {
        let texts = try DevelopmentSet.rows().map(\.text) + Self.requests.map(\.0)
        let encoder = JSONEncoder()
        for text in texts {
            let parsed = parser.parse(text)
            let keys = try JSONDecoder().decode([String: JSONAny].self, from: encoder.encode(parsed.entities)).keys
            #expect(Set(keys).isSubset(of: DevelopmentSet.entitiesOfIntent[parsed.intent]!), "\(text): \(keys.sorted())")
        }
    }

    @Test func actionsAreTheirLabelsInJSON() throws {
        var entities = Entities()
        entities.action = .defi(.claimRewards)
        entities.validator = 7
        #expect(String(decoding: try JSONEncoder().encode(entities), as: UTF8.self).contains(#""action":"claim_rewards""#))
        #expect(try JSONDecoder().decode(Entities.self, from: Data(#"{"action": "revoke"}"#.utf8)).action == .approval(.revoke))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Entities.self, from: Data(#"{"action": "yolo"}"#.utf8)) }
    }
}

/// Any JSON value, to read the keys of an encoding.
private struct JSONAny: Decodable {
    init(from decoder: any Decoder) throws {}
}
