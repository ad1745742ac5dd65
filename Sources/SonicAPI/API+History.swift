import Ethereum
import Foundation
import SonicApp
import SonicConfig
import SonicHTTP
import SonicStore

extension API {
    /// GET /api/history/{address}: a JSON page (newest first, keyset cursors that stay put while
    /// blocks arrive), or with `format=csv` every matching entry.
    func history(_ call: Route.Call) async throws -> Response {
        let address = try Validate.address(call.parameters[0], field: "address")
        let items = call.request.queryItems
        let format = items["format"] ?? "json"
        guard format == "json" || format == "csv" else {
            throw AppError.invalidInput(field: "format", summary: "Invalid format", detail: "format must be json or csv, got \"\(format)\"")
        }
        let query = try HistoryQueryDecoder.query(address, items: items, csv: format == "csv")
        if format == "csv" {
            // Each export writes on this worker until its last row: only so many at once.
            guard let slot = app.exports.take() else {
                throw AppError.unavailable(summary: "Exports busy", detail: "\(app.exports.limit) history exports are being written; try again in a few seconds")
            }
            return try await HistoryQueryDecoder.csv(query, of: address, history: app.history, network: app.context.network,
                                                     price: await app.context.prices.sPrice(), holding: slot)
        }
        let page = try await app.history.page(query, of: address)
        return Response.json(HistoryPageResponse(page, network: app.context.network)).notStored()
    }
}

/// The history endpoint's query string, entries and CSV export.
enum HistoryQueryDecoder {
    /// The CSV header: the fields of one entry, in the order of `HistoryEntryResponse.CodingKeys`,
    /// then the entry's value in US dollars at the export's S/USD price and what that value is.
    static let csvColumns = HistoryEntryResponse.CodingKeys.allCases.map(\.rawValue) + ["usd_value", "usd_note"]

    /// The query-string parameters the endpoint reads.
    static let fields = ["format", "limit", "cursor", "direction", "type", "token"]

    /// The query the parameters describe, each checked and named when wrong.
    static func query(_ address: Address, items: [String: String], csv: Bool) throws(AppError) -> HistoryQuery {
        var query = HistoryQuery(address: address, limit: csv ? 500 : HistoryService.defaultLimit)
        if let text = items["limit"], !csv {
            guard let limit = Int(text), (1...HistoryService.maxLimit).contains(limit) else {
                throw AppError.invalidInput(field: "limit", summary: "Invalid limit", detail: "limit must be a whole number from 1 to \(HistoryService.maxLimit), got \"\(text)\"")
            }
            query.limit = limit
        }
        if let text = items["cursor"], !text.isEmpty {
            guard let position = HistoryPosition(text) else {
                throw AppError.invalidInput(field: "cursor", summary: "Invalid cursor", detail: "cursor must be a next_cursor value from a previous page, got \"\(text)\"")
            }
            query.after = position
        }
        if let text = items["direction"], !text.isEmpty {
            guard let direction = ActivityEntry.Direction(rawValue: text) else {
                throw AppError.invalidInput(field: "direction", summary: "Invalid direction", detail: "direction must be in, out or self, got \"\(text)\"")
            }
            query.direction = direction
        }
        if let text = items["type"], !text.isEmpty {
            guard let kind = ActivityEntry.Kind(rawValue: text) else {
                let accepted = ActivityEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw AppError.invalidInput(field: "type", summary: "Invalid type", detail: "type must be one of \(accepted), got \"\(text)\"")
            }
            query.kind = kind
        }
        if let text = items["token"], !text.isEmpty {
            if let token = try? Address(text) {
                query.token = .address(token)
            } else {
                guard text.count <= 32, text.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) }) else {
                    throw AppError.invalidInput(field: "token", summary: "Invalid token", detail: "token must be a symbol such as S or USDC, or a token address")
                }
                query.token = .symbol(text)
            }
        }
        return query
    }

    /// Every entry matching `query`, as RFC 4180 CSV written page by page.
    /// `slot` is held until the answer is written (or dropped).
    static func csv(_ query: HistoryQuery, of address: Address, history: HistoryService, network: Network,
                    price: PriceService.Reading, holding slot: Slots.Ticket) async throws -> Response {
        let filename = "sonic-history-\(query.address.lowercased).csv"
        // Checked before the answer starts: a failure is still a problem document.
        try history.requireAvailable()
        let stream: Response.Streamer = { emit in
            withExtendedLifetime(slot) {}
            emit(Array((csvColumns.joined(separator: ",") + "\r\n").utf8))
            try? history.forEachPage(query, of: address) { entries in
                var text = ""
                for entry in entries {
                    let cells = HistoryEntryResponse(entry, network: network).csvCells + usdCells(entry, price: price, network: network)
                    text += cells.map(csvField).joined(separator: ",") + "\r\n"
                }
                emit(Array(text.utf8))
            }
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(filename)\"",
                                               .cacheControl: "no-store"], stream: stream)
    }

    /// An entry's value at the export's S/USD price (S, and wS at one S each), and what it is:
    /// the price and its time, or why there is no value. Today's price, not the day's: the note says so.
    static func usdCells(_ entry: ActivityEntry, price reading: PriceService.Reading, network: Network) -> [String] {
        // An approval's amount is what may be spent, not what moved: it has no value to show.
        guard entry.kind != .tokenApproval else { return ["", "an allowance, not a payment"] }
        let isS = entry.tokenAddress == nil && entry.tokenSymbol == network.nativeSymbol
        let isWrapped = entry.tokenAddress != nil && entry.tokenAddress == network.defi.wrappedNative?.address
        guard isS || isWrapped else { return ["", "no USD price for \(entry.tokenSymbol)"] }
        switch reading {
        case .known(let price):
            let when = Date(timeIntervalSince1970: Double(price.updatedAt)).ISO8601Format()
            return [price.dollars(of: entry.amountWei, decimals: entry.tokenDecimals), "at \(price.perUnit) USD per \(network.nativeSymbol) (the price of \(when))"]
        case .unknown(let reason):
            return ["", reason]
        }
    }

    /// Quoted when needed; a leading =, +, - or @ is prefixed with ' so a spreadsheet does
    /// not run it as a formula (texts such as revert reasons come from contracts).
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
