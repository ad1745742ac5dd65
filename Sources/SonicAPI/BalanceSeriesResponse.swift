import Ethereum
import SonicApp

/// What GET /api/history/{address}/balance-series answers: amounts as decimal strings of wei.
struct BalanceSeriesResponse: Encodable {
    struct Point: Encodable {
        let date: String
        let balanceWei: UInt256
        let received: Int
        let sent: Int

        enum CodingKeys: String, CodingKey { case date, balanceWei = "balance_wei", received, sent }
    }

    let address: Address
    @OrNull var block: UInt64?
    let balanceWei: UInt256
    let days: Int
    let complete: Bool
    let points: [Point]

    enum CodingKeys: String, CodingKey { case address, block, balanceWei = "balance_wei", days, complete, points }

    init(_ series: HistoryService.BalanceSeries) {
        address = series.address
        block = series.block
        balanceWei = series.balance
        days = series.points.count
        complete = series.complete
        points = series.points.map {
            Point(date: String(HistoryService.iso(UInt64($0.day) * 86_400).prefix(10)), balanceWei: $0.balance, received: $0.received, sent: $0.sent)
        }
    }
}
