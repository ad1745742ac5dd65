import Ethereum
import Foundation
import SonicStore
import Testing
@testable import SonicApp

@Suite struct HistoryTimeTests {
    @Test func isoTimesMatchFoundationsAcrossCenturiesAndLeapDays() {
        var seconds: [UInt64] = [0, 951_782_400, 951_868_799, 1_709_164_800, 4_107_542_400, 253_402_300_799]  // 2000-02-29, 2024-02-29, 2100-03-01, 9999-12-31
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { seconds.append(UInt64.random(in: 0...253_402_300_799, using: &generator)) }
        for value in seconds {
            #expect(HistoryService.iso(value) == Date(timeIntervalSince1970: Double(value)).ISO8601Format(), "\(value)")
        }
    }
}

@Suite struct AgentHistoryLineTests {
    static func entry(_ kind: ActivityEntry.Kind, _ direction: ActivityEntry.Direction, amount: UInt256 = 1_500_000_000_000_000_000,
                      status: ActivityEntry.Status = .confirmed, reason: String? = nil, fee: UInt256? = 21_000_000_000_000) -> ActivityEntry {
        ActivityEntry(address: try! Address("0x1111111111111111111111111111111111111111"), block: 1, txIndex: 0, seq: -1,
                      hash: .keccak([0xab]), time: 1_795_772_000, kind: kind, direction: direction,
                      counterparty: try! Address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"), amountWei: amount,
                      tokenSymbol: "S", tokenDecimals: 18, tokenID: kind == .nftMint ? 7 : nil, feeWei: fee, status: status, reason: reason,
                      method: kind == .contractCall ? "purchase" : nil)
    }

    @Test func linesSayWhenWhatHowMuchAndWhyItFailed() {
        let now = 1_795_772_000.0 + 300
        #expect(AgentService.describe(Self.entry(.transfer, .outgoing), symbol: "S", now: now)
                == "2026-11-27 09:33 UTC, 5 min ago: sent 1.5 S to 0x70997970…79C8, fee 0.000021 S")
        #expect(AgentService.describe(Self.entry(.transfer, .incoming, fee: nil), symbol: "S", now: now + 7_200)
                == "2026-11-27 09:33 UTC, 2 h ago: received 1.5 S from 0x70997970…79C8")
        #expect(AgentService.describe(Self.entry(.contractCall, .outgoing, amount: 0, status: .failed, reason: "subscription: paused"), symbol: "S", now: now)
                == "2026-11-27 09:33 UTC, 5 min ago: called purchase on 0x70997970…79C8, fee 0.000021 S — FAILED: subscription: paused")
        #expect(AgentService.describe(Self.entry(.nftMint, .outgoing, amount: 0), symbol: "S", now: now + 3 * 86_400)
                == "2026-11-27 09:33 UTC, 3 days ago: minted NFT #7, fee 0.000021 S")
        #expect(AgentService.relative(30) == "just now" && AgentService.relative(86_400 * 59 + 10) == "in 59 days")
    }
}
