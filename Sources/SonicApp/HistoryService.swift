import BigInt
import Ethereum
import SonicHTTP
import Foundation
import Logging
import SonicChain
import SonicConfig
import SonicStore
import Synchronization

/// An address's transaction history from the indexer: pages of JSON (newest first, keyset
/// cursors that stay put while blocks arrive) or the whole of it as CSV.
public struct HistoryService: Sendable {
    let context: ChainContext
    let watchlist: Watchlist

    static let defaultLimit = 25
    static let maxLimit = 100

    /// The fields of one entry, in CSV column order; absent ones are null in JSON (every
    /// entry has every key) and empty in CSV.
    static let fields = ["time", "hash", "block", "timestamp", "type", "direction", "counterparty", "amount", "token", "token_address",
                         "token_decimals", "token_id", "nft_contract", "amount_wei", "fee", "fee_wei", "status", "reason", "method",
                         "explorer_url"]

    /// GET /api/history/{address}: a JSON page, or with `format=csv` every matching entry.
    func respond(address text: String, request: Request) throws(Problem) -> Response {
        let address = try Validate.address(text, field: "address", status: 400)
        let items = request.queryItems
        let format = items["format"] ?? "json"
        guard format == "json" || format == "csv" else {
            throw Problem(status: 400, title: "Invalid format", detail: "format must be json or csv, got \"\(format)\"", field: "format")
        }
        var query = try Self.query(address, items: items, csv: format == "csv")
        let store = try requireStore()
        watchlist.watch(address, source: "lookup", store: store)
        if format == "csv" { return csv(query, store: store) }
        let entries = try storeCall { () throws(StoreError) in try store.history(query) }
        let indexed = try storeCall { () throws(StoreError) in try store.indexerState(chainID: context.network.chainID) }?.indexed
        query.after = entries.count == query.limit ? entries.last?.position : nil
        let page: JSONValue = .object([
            "address": .string(address.checksummed), "entries": .array(entries.map { .object(entry($0)) }),
            "next_cursor": query.after.map { .string($0.description) } ?? .null, "indexed_block": indexed.map { .integer(BigInt($0)) } ?? .null,
        ])
        var response = Response.json(page)
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    /// The query the parameters describe, each checked and named when wrong.
    static func query(_ address: Address, items: [String: String], csv: Bool) throws(Problem) -> HistoryQuery {
        var query = HistoryQuery(address: address.lowercased, limit: csv ? 500 : defaultLimit)
        if let text = items["limit"], !csv {
            guard let limit = Int(text), (1...maxLimit).contains(limit) else {
                throw Problem(status: 400, title: "Invalid limit", detail: "limit must be a whole number from 1 to \(maxLimit), got \"\(text)\"",
                              field: "limit")
            }
            query.limit = limit
        }
        if let text = items["cursor"], !text.isEmpty {
            guard let position = HistoryPosition(text) else {
                throw Problem(status: 400, title: "Invalid cursor", detail: "cursor must be a next_cursor value from a previous page, got \"\(text)\"",
                              field: "cursor")
            }
            query.after = position
        }
        if let text = items["direction"], !text.isEmpty {
            guard let direction = ActivityEntry.Direction(rawValue: text) else {
                throw Problem(status: 400, title: "Invalid direction", detail: "direction must be in, out or self, got \"\(text)\"", field: "direction")
            }
            query.direction = direction
        }
        if let text = items["type"], !text.isEmpty {
            guard let kind = ActivityEntry.Kind(rawValue: text) else {
                let accepted = ActivityEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(status: 400, title: "Invalid type", detail: "type must be one of \(accepted), got \"\(text)\"", field: "type")
            }
            query.kind = kind
        }
        if let text = items["token"], !text.isEmpty {
            let isAddress = (try? Address(text)) != nil
            guard isAddress || (text.count <= 32 && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) }) else {
                throw Problem(status: 400, title: "Invalid token", detail: "token must be a symbol such as S or USDC, or a token address", field: "token")
            }
            query.token = isAddress ? text.lowercased() : text
        }
        return query
    }

    /// One entry as the API shows it: exact amounts beside formatted ones, checksummed addresses.
    func entry(_ entry: ActivityEntry) -> [String: JSONValue] {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        func address(_ value: String?) -> JSONValue { text(value.map(Self.checksummed)) }
        return [
            "time": .string(Self.iso(entry.time)), "hash": .string(entry.hash), "block": .integer(BigInt(entry.block)),
            "timestamp": .integer(BigInt(entry.time)), "type": .string(entry.kind.rawValue), "direction": .string(entry.direction.rawValue),
            "counterparty": address(entry.counterparty), "amount": .string(Units.format(decimalDigits: entry.amountWei, decimals: entry.tokenDecimals) ?? entry.amountWei),
            "token": .string(entry.tokenSymbol), "token_address": address(entry.tokenAddress), "token_decimals": .integer(BigInt(entry.tokenDecimals)),
            "token_id": text(entry.tokenID), "nft_contract": address(entry.nftContract), "amount_wei": .string(entry.amountWei),
            "fee": text(entry.feeWei.flatMap { Units.format(decimalDigits: $0, decimals: 18) }), "fee_wei": text(entry.feeWei), "status": .string(entry.status),
            "reason": text(entry.reason), "method": text(entry.method), "explorer_url": text(context.network.explorerLink(transaction: entry.hash)),
        ]
    }


    /// Every entry matching `query`, as RFC 4180 CSV written page by page.
    func csv(_ query: HistoryQuery, store: Store) -> Response {
        let filename = "sonic-history-\(query.address).csv"
        let stream: Response.Streamer = { [self] emit in
            emit(Array((Self.fields.joined(separator: ",") + "\r\n").utf8))
            var page = query
            while true {
                guard let entries = try? store.history(page), !entries.isEmpty else { return }
                var text = ""
                for entry in entries.map(self.entry) {
                    text += Self.fields.map { Self.csvField(entry[$0]?.csvText ?? "") }.joined(separator: ",") + "\r\n"
                }
                emit(Array(text.utf8))
                guard entries.count == page.limit else { return }
                page.after = entries.last?.position
            }
        }
        return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                               ("Content-Disposition", "attachment; filename=\"\(filename)\""),
                                               ("Cache-Control", "no-store")], stream: stream)
    }

    /// Quoted when needed; a leading =, +, - or @ is prefixed with ' so a spreadsheet does
    /// not run it as a formula (texts such as revert reasons come from contracts).
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `2026-11-27T09:53:16Z` for Unix seconds (proleptic Gregorian, UTC), without Foundation's
    /// formatter, which costs more than the rest of an entry.
    static func iso(_ seconds: UInt64) -> String {
        let days = Int64(seconds / 86_400), second = Int(seconds % 86_400)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(Int64(second / 3_600))):\(two(Int64(second / 60 % 60))):\(two(Int64(second % 60)))Z"
    }

    static func checksummed(_ lowercase: String) -> String { (try? Address(lowercase))?.checksummed ?? lowercase }

    func requireStore() throws(Problem) -> Store {
        guard let store = context.store else {
            throw Problem(status: 503, title: "Database unavailable", detail: "the service cannot read its database right now")
        }
        return store
    }
}

extension JSONValue {
    /// The value as a CSV cell: text and numbers as they are, null empty.
    var csvText: String {
        switch self {
        case .null: ""
        case .string(let text): text
        case .integer(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: ""
        }
    }
}

/// Addresses whose history the indexer should keep on networks where it does not keep
/// everything: those looked up or signed in. Written once per address per process.
public final class Watchlist: Sendable {
    let enabled: Bool
    /// Read on every lookup, written once per address: readers must not queue behind each other.
    private let seen = ReadWriteLocked<Set<String>>([])

    public init(enabled: Bool) { self.enabled = enabled }

    func watch(_ address: Address, source: String, store: Store?) {
        guard enabled, let store else { return }
        let key = address.lowercased
        guard !seen.read({ $0.contains(key) }), seen.write({ $0.insert(key).inserted }) else { return }
        do { try store.watch(key, source: source) } catch {
            seen.write { _ = $0.remove(key) }
            logger.warning("watchlist: \(error)")
        }
    }
}
