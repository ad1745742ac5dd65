import BigInt
import Ethereum
import SonicChain

/// The aggregator's side of `SwapService` (KyberSwap, when configured): its routes, kept
/// `routeSeconds`, how its quote compares with the router's, and the transaction it builds,
/// checked before it is previewed.
extension SwapService {
    /// The aggregator's route for the swap, kept `routeSeconds` (a quote and its prepare build
    /// the route that was shown); its failure as the comparison's reason.
    func aggregatorRoute(_ aggregator: any SwapAggregator, _ assetIn: Asset, _ assetOut: Asset,
                         _ amountIn: UInt256) async -> Result<AggregatorRoute, AppError> {
        let key = "\(assetIn.address?.lowercased ?? "S")-\(assetOut.address?.lowercased ?? "S")-\(amountIn)"
        do {
            return .success(try await routes.value(key, now: context.clock.now().timeIntervalSince1970) { () async throws(AppError) in
                try await aggregator.route(tokenIn: assetIn.address, tokenOut: assetOut.address, amountIn: amountIn)
            })
        } catch {
            return .failure(error)
        }
    }

    /// The price impact of `out` measured against the router quote's pools, when there is one.
    static func impactAgainst(_ routed: Result<Quote, AppError>, out: UInt256) -> UInt256? {
        guard case .success(let quote) = routed, let reserves = quote.reserves else { return nil }
        return priceImpact(amountIn: quote.amountIn, out: out, reserves: reserves)
    }

    static func alternative(_ source: String, _ result: Result<UInt256, AppError>, decimals: Int) -> Alternative {
        switch result {
        case .success(let out): Alternative(source: source, expectedOut: out, expectedOutFormatted: Units.exact(out, decimals: decimals), problem: nil)
        case .failure(let error): Alternative(source: source, expectedOut: nil, expectedOutFormatted: nil, problem: error.detail)
        }
    }

    /// The aggregator's transaction for `route`: built for `from` (who receives), with the
    /// slippage that keeps the quote's minimum, to the router the quote named, carrying exactly
    /// the S that goes in (none for a token). Anything else it answers is refused, not signed.
    func aggregated(_ route: AggregatorRoute, by aggregator: any SwapAggregator, quote: Quote, from: Address) async throws(AppError) -> CallRequest {
        let built = try await aggregator.build(route, sender: from, slippage: quote.slippageOfMinimum, deadline: quote.deadline)
        let value = quote.tokenIn.isNative ? quote.amountIn : .zero
        guard built.router == quote.contract, built.value == value else {
            throw .badUpstream(summary: "Aggregator answer refused",
                               detail: "\(aggregator.name)'s transaction was not used: it goes to \(built.router.checksummed) with "
                                   + "\(Units.exact(built.value, decimals: 18)) S, not to \(quote.contract.checksummed) with \(Units.exact(value, decimals: 18)) S")
        }
        return CallRequest(from: from, to: built.router, value: quote.tokenIn.isNative ? value : nil, data: built.data)
    }
}
