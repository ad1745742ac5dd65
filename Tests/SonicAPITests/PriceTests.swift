import AppTestSupport
import Ethereum
import Foundation
@testable import SonicApp
import SonicChain
import SonicStore
import Testing
@testable import SonicAPI

/// What S is worth in US dollars, from the network's S/USD feed: the price itself, previews and
/// the history's CSV show values when the price is known and say why when it is not (issue 20).
@Suite struct PriceTests {
    static let half = PriceFeed.Round(roundID: 7, answer: 50_000_000, updatedAt: 1_800_000_000, decimals: 8)

    @Test func thePriceIsTheFeedsAnswerExactlyAndReadOnceForManyRequests() throws {
        let endpoint = try EndpointTests()
        let price = endpoint.json(endpoint.get("/api/price"))
        #expect(price["known"] as? Bool == true && price["usd"] as? String == "0.5")
        #expect(price["answer"] as? String == "50000000" && price["decimals"] as? Int == 8 && price["symbol"] as? String == "S")
        #expect(price["updated_at"] as? String == "2027-01-15T08:00:00Z")
        for _ in 0..<5 { _ = endpoint.get("/api/price") }
        #expect(endpoint.services.chain.withState { $0.defi.priceReads } == 1)
    }

    @Test func dollarsAreIntegersRoundedDownAndGrouped() {
        let price = PriceService.Price(answer: 12_345_678, decimals: 8, updatedAt: 0, feed: TestServices.token)
        #expect(price.dollars(of: try! UInt256(parsing: "1234567891000000000000000")) == "152,415.77")
        #expect(price.dollars(of: UInt256(1)) == "0.00")  // one wei is worth less than a cent
        #expect(price.dollars(of: try! UInt256(parsing: "81000000000000000")) == "0.00")  // 0.0099... rounds down
        #expect(price.dollars(of: try! UInt256(parsing: "82000000000000000")) == "0.01")
        #expect(price.dollars(of: UInt256.max) == "14,295,318,486,711,713,328,844,809,910,600,881,128,501,424,777,469,360,673,695.22")  // no overflow at 2^256 - 1
        #expect(price.perUnit == "0.12345678")
        #expect(price.dollars(of: 5_000_000, decimals: 6) == "0.61")  // an asset with 6 decimals
    }

    @Test func aPreviewShowsTheSItSendsAndItsFeeInDollars() throws {
        let endpoint = try EndpointTests()
        endpoint.services.chain.withState { $0.balances[TestServices.alice] = TestServices.s(10) }
        let body = #"{"from":"\#(TestServices.alice.checksummed)","to":"\#(TestServices.bob.checksummed)","amount":"2.5"}"#
        let usd = try #require(endpoint.json(endpoint.post("/api/tx/prepare", json: body))["usd"] as? [String: Any])
        #expect(usd["known"] as? Bool == true && usd["price"] as? String == "0.5" && usd["value"] as? String == "1.25")
        // 21,000 gas at most 3 gwei: 0.000063 S, under a cent.
        #expect(usd["fee_max"] as? String == "0.00" && usd["fee_estimated"] as? String == "0.00")
    }

    @Test func aStaleOrMissingPriceIsSaidNotGuessedAndStopsNothing() throws {
        let endpoint = try EndpointTests()
        endpoint.services.chain.withState {
            $0.balances[TestServices.alice] = TestServices.s(10)
            $0.defi.priceRound = PriceFeed.Round(roundID: 7, answer: 50_000_000, updatedAt: $0.defi.headTime - 100_000, decimals: 8)
        }
        let price = endpoint.json(endpoint.get("/api/price"))
        #expect(price["known"] as? Bool == false && price["usd"] == nil)
        #expect((price["reason"] as? String)?.hasPrefix("the S/USD price is stale (last updated 2027-01-14T") == true)
        let body = #"{"from":"\#(TestServices.alice.checksummed)","to":"\#(TestServices.bob.checksummed)","amount":"2.5"}"#
        let prepared = endpoint.json(endpoint.post("/api/tx/prepare", json: body))
        #expect(prepared["tx"] != nil)  // still prepared
        #expect((prepared["usd"] as? [String: Any])?["known"] as? Bool == false && (prepared["usd"] as? [String: Any])?["value"] == nil)

        // A negative answer is not a price; the node down is said as such. Each after the 30 s it is kept.
        endpoint.services.chain.withState { $0.defi.priceRound = PriceFeed.Round(roundID: 8, answer: -1, updatedAt: $0.defi.headTime, decimals: 8) }
        endpoint.services.clock.advance(31)
        #expect(endpoint.json(endpoint.get("/api/price"))["reason"] as? String == "the S/USD feed's answer is not a price")
        endpoint.services.chain.withState { $0.down = true }
        endpoint.services.clock.advance(31)
        #expect(endpoint.json(endpoint.get("/api/price"))["reason"] as? String == "the S/USD price feed could not be read")
    }

    @Test func theCSVGivesEachSEntryItsValueAtTheExportsPriceAndSaysWhatItIs() throws {
        let endpoint = try EndpointTests()
        let entry = ActivityEntry(address: TestServices.alice, block: 1, txIndex: 0, seq: 0, hash: .keccak([1]), time: 1_795_772_001,
                                  kind: .transfer, direction: .incoming, counterparty: TestServices.bob, amountWei: TestServices.s(3),
                                  tokenSymbol: "S", tokenAddress: nil, tokenDecimals: 18, status: .confirmed)
        let store = endpoint.services.store
        _ = try store.insertBackfilled([entry], source: "test")
        var batch = IndexBatch(chainHead: 1)
        batch.blocks = [IndexedBlock(number: 1, hash: .keccak([1]), parentHash: .keccak([0]), timestamp: 1_795_772_001)]
        try store.apply(batch, chainID: 31337, at: Date())
        let csv = String(decoding: endpoint.get("/api/history/\(TestServices.alice.checksummed)", query: "format=csv").collectedBody(), as: UTF8.self)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == 2 && lines[0].hasSuffix(",usd_value,usd_note"))
        #expect(lines[1].hasSuffix(",1.50,at 0.5 USD per S (the price of 2027-01-15T08:00:00Z)"))
    }
}
