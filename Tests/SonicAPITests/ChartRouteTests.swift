import AppTestSupport
import Ethereum
import Foundation
@testable import SonicApp
import SonicChain
import SonicHTTP
import SonicStore
import Testing
@testable import SonicAPI

/// The routes the dashboard's pictures are drawn from: an address's balance day by day from the
/// indexed history, and the network's fees over its last blocks.
@Suite struct ChartRouteTests {
    let endpoint: EndpointTests
    var services: TestServices { endpoint.services }

    init() throws { endpoint = try EndpointTests() }

    /// One native entry of Alice's, `daysAgo` days before the clock's day (at noon UTC).
    func entry(_ index: Int, daysAgo: Int64, _ direction: ActivityEntry.Direction, wei: UInt256, fee: UInt256? = nil,
               status: ActivityEntry.Status = .confirmed) -> ActivityEntry {
        let today = Int64(services.clock.now().timeIntervalSince1970) / 86_400
        return ActivityEntry(address: TestServices.alice, block: UInt64(index), txIndex: 0, seq: -1, hash: .keccak([UInt8(index)]),
                             time: UInt64((today - daysAgo) * 86_400 + 43_200), kind: .transfer, direction: direction,
                             counterparty: TestServices.bob, amountWei: wei, tokenSymbol: "S", tokenDecimals: 18, feeWei: fee, status: status)
    }

    func series(_ query: String) -> [String: Any] {
        endpoint.json(endpoint.get("/api/history/\(TestServices.alice.checksummed)/balance-series", query: query))
    }

    @Test func theBalanceIsWalkedBackDayByDayInWholeWei() throws {
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(10) }
        let fee = UInt256(21_000_000_000_000)
        let token = ActivityEntry(address: TestServices.alice, block: 4, txIndex: 0, seq: 3, hash: .keccak([4]), time: entry(4, daysAgo: 0, .incoming, wei: 0).time,
                                  kind: .tokenTransfer, direction: .incoming, counterparty: TestServices.bob, amountWei: TestServices.s(500),
                                  tokenSymbol: "SUSD", tokenAddress: TestServices.token, tokenDecimals: 6, status: .confirmed)
        _ = try services.store.insertBackfilled([
            entry(0, daysAgo: 10, .incoming, wei: TestServices.s(7)),  // before the window: not read
            entry(1, daysAgo: 2, .incoming, wei: TestServices.s(3)),
            entry(2, daysAgo: 1, .outgoing, wei: TestServices.s(1), fee: fee),
            entry(3, daysAgo: 1, .outgoing, wei: TestServices.s(4), fee: fee, status: .failed),  // only its fee left
            entry(4, daysAgo: 0, .incoming, wei: TestServices.s(2)), token,  // its token moves no S, and counts once
        ], source: "test")
        let answer = series("days=3")
        #expect(answer["days"] as? Int == 3 && answer["complete"] as? Bool == true && answer["balance_wei"] as? String == "10000000000000000000")
        let points = try #require(answer["points"] as? [[String: Any]])
        #expect(points.map { $0["balance_wei"] as? String } == ["9000042000000000000", "8000000000000000000", "10000000000000000000"])
        #expect(points.map { $0["received"] as? Int } == [1, 0, 1] && points.map { $0["sent"] as? Int } == [0, 2, 0])
        let today = Int64(services.clock.now().timeIntervalSince1970) / 86_400
        #expect(points.last?["date"] as? String == String(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(today * 86_400))).prefix(10)))
        // The default is 30 days, today the last.
        #expect((series("")["points"] as? [Any])?.count == 30)
    }

    @Test func sAlreadyThereBeforeTheIndexMakesTheSeriesIncomplete() throws {
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(1) }
        _ = try services.store.insertBackfilled([entry(1, daysAgo: 0, .incoming, wei: TestServices.s(5))], source: "test")
        let answer = series("days=2")
        #expect(answer["complete"] as? Bool == false)
        #expect((answer["points"] as? [[String: Any]])?.map { $0["balance_wei"] as? String } == ["0", "1000000000000000000"])
    }

    @Test(arguments: ["0", "366", "-1", "ten", "1.5", "99999999999"])
    func daysOutOfBoundsAreRefusedNamingTheField(days: String) {
        let answer = endpoint.get("/api/history/\(TestServices.alice.checksummed)/balance-series", query: "days=\(days)")
        #expect(answer.status == 400 && endpoint.json(answer)["field"] as? String == "days")
        #expect((endpoint.json(answer)["detail"] as? String)?.contains("from 1 to 365") == true)
        let address = endpoint.get("/api/history/0x12/balance-series")
        #expect(address.status == 400 && endpoint.json(address)["field"] as? String == "address")
    }

    @Test func theSeriesNeedsTheNode() {
        services.chain.update { $0.down = true }
        #expect(endpoint.get("/api/history/\(TestServices.alice.checksummed)/balance-series").status == 503)
    }

    @Test func feesOfTheLastBlocksOldestFirst() throws {
        let answer = endpoint.get("/api/network/fees", query: "blocks=5")
        #expect(answer.status == 200 && answer.header("Cache-Control") == "public, max-age=1")
        let blocks = try #require(endpoint.json(answer)["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["number"] as? Int } == [96, 97, 98, 99, 100])
        #expect(blocks.map { $0["base_fee_wei"] as? String } == ["1000000000", "2000000000", "3000000000", "4000000000", "5000000000"])
        #expect(blocks.allSatisfy { $0["gas_used_percent"] as? Int == 50 && $0["priority_fee_wei"] as? String == "1000000000" })
        #expect(endpoint.json(answer)["next_base_fee_wei"] as? String == "6000000000")
        #expect((endpoint.json(endpoint.get("/api/network/fees"))["blocks"] as? [Any])?.count == 20)
        // Shared for a block's time: a second asking costs the node nothing.
        let reads = services.chain.reads
        _ = endpoint.get("/api/network/fees", query: "blocks=5")
        #expect(services.chain.reads == reads)
    }

    @Test(arguments: ["0", "101", "x", ""])
    func blocksOutOfBoundsAreRefusedNamingTheField(blocks: String) {
        let answer = endpoint.get("/api/network/fees", query: "blocks=\(blocks)")
        #expect(answer.status == 400 && endpoint.json(answer)["field"] as? String == "blocks")
        #expect((endpoint.json(answer)["detail"] as? String)?.contains("from 1 to 100") == true)
    }
}

/// The node's fee history turned into blocks: lists that disagree are a bad answer, not a picture.
@Suite struct FeeHistoryReportTests {
    func history(fees: Int, ratios: [Double], rewards: Int?) -> FeeHistory {
        FeeHistory(oldestBlock: Quantity(7), baseFeePerGas: (0..<fees).map { BigQuantity(UInt256(UInt64($0 + 1))) },
                   gasUsedRatio: ratios, reward: rewards.map { count in (0..<count).map { _ in [BigQuantity(UInt256(5))] } })
    }

    @Test func blocksAreNumberedFromTheOldestAndFullnessIsBounded() throws {
        let report = try FeeHistoryService.report(history(fees: 3, ratios: [0.504, 7], rewards: 2))
        #expect(report.blocks.map(\.number) == [7, 8] && report.blocks.map(\.gasUsedPercent) == [50, 100])
        #expect(report.nextBaseFee == UInt256(3) && report.blocks.allSatisfy { $0.priorityFee == UInt256(5) })
        #expect(try FeeHistoryService.report(history(fees: 2, ratios: [-1], rewards: nil)).blocks.first?.priorityFee == nil)
    }

    @Test(arguments: [(2, 2, 2), (3, 2, 1), (5, 2, 2)])
    func listsOfDifferentLengthsAreABadAnswer(fees: Int, ratios: Int, rewards: Int) {
        #expect(throws: AppError.self) {
            try FeeHistoryService.report(history(fees: fees, ratios: Array(repeating: 0.5, count: ratios), rewards: rewards))
        }
    }
}
