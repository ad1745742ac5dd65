import Foundation
@testable import SonicAgent

/// The agent's development set, Tests/Fixtures/agent-dev.jsonl, labelled by the rules of
/// agent-labels.md beside it.
enum DevelopmentSet {
    struct Row: Decodable {
        let text: String
        let intent: String
        let entities: Entities
    }

    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/agent-dev.jsonl")

    static func rows() throws -> [Row] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
    }

    /// The entities each intent may carry (the table of agent-labels.md): `sonic agent parse`
    /// prints no other.
    static let entitiesOfIntent: [Intent: Set<String>] = [
        .balanceCheck: ["address", "token"], .sendTransaction: ["amount", "token", "to"], .transactionHistory: ["address", "limit"],
        .transactionStatus: ["tx_hash"], .nftCreation: ["name", "description"], .subscriptionStatus: [],
        .subscriptionPurchase: ["months"], .gasPrice: [], .swap: ["amount", "token_in", "token_out"],
        .defiQuery: ["action", "amount", "token", "validator"], .tokenApproval: ["action", "token"], .generalQuery: [],
    ]
}
