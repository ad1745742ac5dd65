import AppTestSupport
import Ethereum
import Foundation
@testable import SonicApp
import SonicConfig
import SonicHTTP
import SonicStore
import Testing
@testable import SonicAPI

/// A token off the network profile's verified list may copy a verified one's symbol: history,
/// balances and the agent name it by its contract and say it is unverified (issue 18).
@Suite struct VerifiedTokenTests {
    /// A contract calling itself "SUSD", as our test dollar is called.
    static let lookAlike = try! Address("0x00000000000000000000000000000000005505d0")

    static func received(_ block: UInt64, token: Address, symbol: String = "SUSD") -> ActivityEntry {
        ActivityEntry(address: TestServices.alice, block: block, txIndex: 0, seq: 0, hash: .keccak([UInt8(block)]), time: 1_795_772_000 + block,
                      kind: .tokenTransfer, direction: .incoming, counterparty: TestServices.bob, amountWei: 5_000_000, tokenSymbol: symbol,
                      tokenAddress: token, tokenDecimals: 6, status: .confirmed)
    }

    @Test func historyMarksALookAlikeUnverifiedInTheAPITheCSVAndTheAgentsReply() async throws {
        let endpoint = try EndpointTests()
        let store = endpoint.services.store
        _ = try store.insertBackfilled([Self.received(1, token: TestServices.token), Self.received(2, token: Self.lookAlike)], source: "test")
        var batch = IndexBatch(chainHead: 2)
        batch.blocks = [IndexedBlock(number: 2, hash: .keccak([2]), parentHash: .keccak([1]), timestamp: 1_795_772_002)]
        try store.apply(batch, chainID: 31337, at: Date())

        let entries = endpoint.json(endpoint.get("/api/history/\(TestServices.alice.checksummed)"))["entries"] as? [[String: Any]] ?? []
        #expect(entries.map { $0["token"] as? String } == ["SUSD", "SUSD"])
        #expect(entries.map { $0["verified"] as? Bool } == [false, true])
        #expect(entries.first?["token_address"] as? String == Self.lookAlike.checksummed)
        let csv = String(decoding: endpoint.get("/api/history/\(TestServices.alice.checksummed)", query: "format=csv").collectedBody(), as: UTF8.self)
        let lines = csv.split(separator: "\r\n")
        #expect(lines[0].hasSuffix(",explorer_url,verified,usd_value,usd_note"))
        #expect(lines[1].hasSuffix(",false,,no USD price for SUSD") && lines[2].hasSuffix(",true,,no USD price for SUSD"))

        let reply = try await endpoint.services.app.agent.handle(message: "show my last 2 transactions", conversation: nil, signedIn: TestServices.alice).reply
        let lookAlikeLine = reply.split(separator: "\n").first { $0.contains("received 5 SUSD") && $0.contains("unverified") }
        #expect(lookAlikeLine?.contains("(unverified token \(Self.lookAlike.checksummed))") == true, "\(reply)")
        #expect(reply.split(separator: "\n").filter { $0.contains("unverified") }.count == 1, "\(reply)")
    }

    @Test func aBalanceOfAContractOffTheListIsAnsweredUnverifiedWithItsAddress() throws {
        let endpoint = try EndpointTests()
        endpoint.services.chain.update {
            $0.tokenMetadata[Self.lookAlike] = ("SUSD\u{7}", 6)
            $0.tokenBalances[Self.lookAlike] = [TestServices.alice: UInt256(9_000_000)]
            $0.tokenBalances[TestServices.token] = [TestServices.alice: UInt256(1_000_000)]
        }
        let answer = endpoint.json(endpoint.get("/api/balance/\(TestServices.alice.checksummed)", query: "tokens=SUSD,\(Self.lookAlike.checksummed)"))
        let tokens = answer["tokens"] as? [[String: Any]] ?? []
        #expect(tokens.map { $0["symbol"] as? String } == ["SUSD", "SUSD"])
        #expect(tokens.map { $0["verified"] as? Bool } == [true, false])
        #expect(tokens.map { $0["address"] as? String } == [TestServices.token.checksummed, Self.lookAlike.checksummed])
        #expect((answer["native"] as? [String: Any])?["verified"] as? Bool == true)
        // A contract that is no token is a bad input, naming the field.
        let notAToken = endpoint.get("/api/balance/\(TestServices.alice.checksummed)", query: "tokens=\(TestServices.bob.checksummed)")
        #expect(notAToken.status == 400 && endpoint.json(notAToken)["field"] as? String == "tokens")
    }

    @Test func everyVerifiedTokenOfTheProfilesSaysWhereItsAddressComesFrom() {
        for network in Network.all {
            for token in network.tokens { #expect(token.source.hasPrefix("https://docs.soniclabs.com/"), "\(network.name) \(token.symbol)") }
        }
        #expect(Network.mainnet.tokens.map(\.symbol) == ["WS", "USDC", "WETH"])
        #expect(Network.mainnet.isVerified(try! Address("0x29219dd400f2Bf60E5a23d13Be72B486D4038894")) && !Network.mainnet.isVerified(Self.lookAlike))
    }
}
