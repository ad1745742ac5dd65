import Ethereum
import Foundation
import SonicAgent
import SonicStore

extension AgentService {
    /// "What did I do today?", "did I receive anything yesterday?": the indexed entries of
    /// the days asked about (in UTC), only what came in or went out when that is asked.
    func recent(_ address: Address, period: Period, flow: Flow?) async throws(AppError) -> (String, [Card], [Source]?) {
        let (start, end) = Self.range(period, now: context.clock.now())
        let direction: ActivityEntry.Direction? = flow.map { $0 == .incoming ? .incoming : .outgoing }
        let page = try await history.page(HistoryQuery(address: address, limit: 100, direction: direction), of: address)
        guard let indexed = page.indexedBlock else {
            return ("The history isn't indexed yet (the indexer, sonic-sync, has not written anything). I can still check any transaction by its hash.",
                    [], nil)
        }
        let entries = page.entries.filter { Double($0.time) >= start.timeIntervalSince1970 && Double($0.time) < end.timeIntervalSince1970 }
        let what = flow == .incoming ? "came in" : flow == .outgoing ? "went out" : "happened"
        let days = "\(period.phrase) (UTC)"
        guard !entries.isEmpty else {
            return ("Nothing \(what) for \(address.checksummed) \(days), up to block \(indexed).", [Card(kind: .openHistory, prepared: nil, name: nil, description: nil)], nil)
        }
        let lines = entries.map { "• " + Self.describe($0, symbol: context.network.nativeSymbol, now: context.clock.now().timeIntervalSince1970) }
        let count = entries.count == 1 ? "1 transaction" : "\(entries.count) transactions"
        let heading = "\(count) of \(address.checksummed) \(days)" + (flow == .incoming ? ", incoming" : flow == .outgoing ? ", outgoing" : "") + ", newest first:"
        return (([heading] + lines + ["The History page has all of them, with filters and a CSV export."]).joined(separator: "\n"),
                [Card(kind: .openHistory, prepared: nil, name: nil, description: nil)], nil)
    }

    /// The start (inclusive) and end (exclusive) of `period`, in UTC days.
    static func range(_ period: Period, now: Date) -> (Date, Date) {
        let day = 86_400.0
        let today = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / day).rounded(.down) * day)
        switch period {
        case .today: return (today, today.addingTimeInterval(day))
        case .yesterday: return (today.addingTimeInterval(-day), today)
        case .lastDays(let count): return (today.addingTimeInterval(-Double(count - 1) * day), today.addingTimeInterval(day))
        }
    }
}
