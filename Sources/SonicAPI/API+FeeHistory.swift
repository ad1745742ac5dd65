import Ethereum
import SonicApp
import SonicHTTP

extension API {
    /// GET /api/network/fees[?blocks=20]: the base fee, fullness and median priority fee of each
    /// of the last `blocks` blocks (1 to 100), from `eth_feeHistory`, shared for a block's time.
    func feeHistory(_ call: Route.Call) async throws -> Response {
        let blocks = try call.number("blocks", in: 1...FeeHistoryService.maxBlocks, default: FeeHistoryService.defaultBlocks)
        var response = Response.json(FeeHistoryResponse(try await app.feeHistory.report(blocks: blocks)))
        response.headers[.cacheControl] = "public, max-age=1"
        return response
    }
}
