import Ethereum
import SonicApp
import SonicHTTP

extension API {
    /// GET /api/history/{address}/balance-series[?days=30]: the S balance at the end of each of
    /// the last `days` UTC days (1 to 365) and the transactions of each, from the indexed history.
    func balanceSeries(_ call: Route.Call) async throws -> Response {
        let address = try Validate.address(call.parameters[0], field: "address")
        let days = try call.number("days", in: 1...HistoryService.maxSeriesDays, default: HistoryService.defaultSeriesDays)
        return Response.json(BalanceSeriesResponse(try await app.history.balanceSeries(of: address, days: days))).notStored()
    }
}
