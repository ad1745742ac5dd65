import Ethereum
import Foundation
import SonicChain
import SonicStore

extension HistoryService {
    /// The longest balance series one request may ask for, in days, and the one given when none is asked.
    public static let maxSeriesDays = 365
    public static let defaultSeriesDays = 30

    /// An address's S balance at the end of each UTC day, with how many transactions it sent
    /// and received that day, oldest day first.
    public struct BalanceSeries: Sendable {
        public struct Point: Sendable, Equatable {
            /// Days since 1970-01-01 (UTC).
            public let day: Int64
            /// The balance at the end of the day (today: now), in wei.
            public let balance: UInt256
            public let received: Int
            public let sent: Int
        }

        public let address: Address
        /// The block the last balance was read at: the indexer's last, nil before its first (then the node's latest).
        public let block: UInt64?
        public let balance: UInt256
        public let points: [Point]
        /// False when walking back would have gone below zero: S arrived in ways the index does
        /// not record (value sent by a contract, the chain's first allocation); those days read 0.
        public let complete: Bool
    }

    /// The last `days` days of `address`'s balance: read once from the node at the indexer's
    /// last block, then walked back through the indexed movements of S (integers all the way:
    /// a day's end is the balance after it less what arrived since, plus what left since).
    public func balanceSeries(of address: Address, days: Int) async throws(AppError) -> BalanceSeries {
        let store = try requireStore()
        watchlist.watch(address, source: "lookup")
        let today = Int64(context.clock.now().timeIntervalSince1970) / 86_400
        let firstDay = today - Int64(days) + 1
        let since = UInt64(max(0, firstDay * 86_400))
        let indexed = try await storeCall { () async throws(StoreError) in try await store.indexerState(chainID: context.network.chainID) }?.indexed
        let balance: UInt256
        do throws(ChainError) { balance = try await context.chain.balance(of: address, at: indexed.map(BlockTag.number) ?? .latest) } catch { throw AppError(error) }
        let movements = try await storeCall { () async throws(StoreError) in try await store.nativeMovements(of: address, since: since) }
        let activity = Dictionary(uniqueKeysWithValues: try await storeCall { () async throws(StoreError) in try await store.dailyActivity(of: address, since: since) }
            .map { ($0.day, $0) })
        var running = balance, complete = true, next = movements.count - 1
        var points: [BalanceSeries.Point] = []
        for day in stride(from: today, through: firstDay, by: -1) {
            let end = UInt64(max(0, (day + 1) * 86_400))
            while next >= 0, movements[next].time >= end {
                // Undo the movement: take back what arrived, give back what left.
                if let before = running.subtracting(movements[next].received) {
                    running = before.adding(movements[next].spent) ?? .max
                } else {
                    running = .zero
                    complete = false
                }
                next -= 1
            }
            points.append(.init(day: day, balance: running, received: activity[day]?.received ?? 0, sent: activity[day]?.sent ?? 0))
        }
        return BalanceSeries(address: address, block: indexed, balance: balance, points: points.reversed(), complete: complete)
    }
}
