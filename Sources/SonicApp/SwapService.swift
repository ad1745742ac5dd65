import BigInt
import Ethereum
import Foundation
import SonicChain
import SonicConfig

/// Wrapping S ↔ wS and swaps through the network's UniswapV2Router02-compatible router: quotes
/// (`getAmountsOut`, the minimum after slippage, the price impact from the pools' reserves, the
/// route, the deadline and the pools' fee) and the swap previewed and simulated for the wallet.
/// Native S goes in and out through the router's ETH-named functions; wrapping and unwrapping
/// through wS itself. A token the router may not spend yet gets its approval card first (for the
/// exact amount, `AllowanceService`); the swap is prepared once the allowance is there.
public struct SwapService: Sendable {
    let context: ChainContext
    let tokens: TokenService
    let allowances: AllowanceService
    /// An aggregator asked beside the router when configured (KyberSwap); the better quote wins.
    let aggregator: (any SwapAggregator)?
    /// The aggregator's routes, kept `routeSeconds` so a quote and the prepare after it build
    /// what was shown; an older one is taken again.
    let routes: ReadCache<AggregatorRoute>
    /// Seconds an aggregator's route is used for (KyberSwap advises 5 to 10 at most).
    public static let routeSeconds = 5.0

    /// 0.5 %, in basis points, when the request names none.
    public static let defaultSlippage: UInt64 = 50
    /// Slippage above this (50 %) is refused: it would make the minimum meaningless.
    public static let maxSlippage: UInt64 = 5_000
    /// A swap must be mined within this many seconds of the chain's latest block.
    public static let deadlineSeconds: UInt64 = 1_200
    /// UniswapV2's fee, taken by each pool from what goes in: 3 in 1,000.
    static let feePerMille = UInt256(3)

    public init(context: ChainContext, tokens: TokenService, allowances: AllowanceService, aggregator: (any SwapAggregator)? = nil) {
        self.context = context
        self.tokens = tokens
        self.allowances = allowances
        self.aggregator = aggregator
        routes = ReadCache(ttl: Self.routeSeconds, capacity: 1_000)
    }

    /// One side of a swap: native S (no address) or a token.
    public struct Asset: Encodable, Sendable, Equatable {
        public let symbol: String
        /// The token's contract; null for native S.
        @OrNull public var address: Address?
        public let decimals: Int
        public let verified: Bool

        var isNative: Bool { address == nil }

        /// How a sentence names it (an unverified token with its address).
        var named: String { verified ? symbol : "\(symbol) (unverified token \(address?.checksummed ?? ""))" }
    }

    /// What a pool keeps of one step's input.
    public struct PoolFee: Encodable, Sendable {
        public let token: String
        public let amount: UInt256
        public let formatted: String
    }

    /// POST /api/swap/quote, and the figures of a swap's preview.
    public struct Quote: Encodable, Sendable {
        public enum Kind: String, Encodable, Sendable { case swap, wrap, unwrap }

        public let kind: Kind
        public let tokenIn: Asset
        public let tokenOut: Asset
        public let amountIn: UInt256
        public let amountInFormatted: String
        /// What the pools give now for `amountIn` (the router's `getAmountsOut`), and at least
        /// what the swap accepts (less the slippage).
        public let expectedOut: UInt256
        public let expectedOutFormatted: String
        public internal(set) var minimumOut: UInt256
        public internal(set) var minimumOutFormatted: String
        /// Percent, two decimals at most: "0.5".
        public let slippagePercent: String
        /// How much worse than the pools' current price (their fee aside), in percent: "0.01";
        /// nil (absent) for an aggregator's quote when the router has no pool to measure it by.
        public let priceImpactPercent: String?
        /// Symbols from what goes in to what comes out, and the router's path of token addresses.
        public let route: [String]
        public let path: [Address]
        /// The last Unix time the swap may be mined at, and the same in RFC 3339.
        public let deadline: UInt64
        public let deadlineAt: String
        /// What each pool on the route keeps (0.3 % of its input); none for wrapping.
        public let fees: [PoolFee]
        /// The contract the transaction goes to: the router, wS to wrap and unwrap, or the aggregator's router.
        public let contract: Address
        /// Where the quote comes from: "router" (the network's V2 router), "wS", or the aggregator's name.
        public var source: String = "router"
        /// Every quote asked for and what it gave (or why it gave nothing), when more than one was.
        public var compared: [Alternative] = []
        /// The aggregator's route when `source` is the aggregator: built as it was quoted.
        var aggregatorRoute: AggregatorRoute? = nil
        /// The router's pools on the path, (in, out) reserves each, for measuring price impact.
        var reserves: [(UInt256, UInt256)]? = nil

        enum CodingKeys: String, CodingKey {
            case kind, tokenIn = "token_in", tokenOut = "token_out", amountIn = "amount_in", amountInFormatted = "amount_in_formatted",
                 expectedOut = "expected_out", expectedOutFormatted = "expected_out_formatted", minimumOut = "minimum_out",
                 minimumOutFormatted = "minimum_out_formatted", slippagePercent = "slippage_percent", priceImpactPercent = "price_impact_percent",
                 route, path, deadline, deadlineAt = "deadline_at", fees, contract, source, compared
        }
    }

    /// One quote of a comparison: its source and what it gives, or why it gave nothing.
    public struct Alternative: Encodable, Sendable {
        public let source: String
        @OrNull public var expectedOut: UInt256?
        @OrNull public var expectedOutFormatted: String?
        @OrNull public var problem: String?

        enum CodingKeys: String, CodingKey { case source, expectedOut = "expected_out", expectedOutFormatted = "expected_out_formatted", problem }
    }

    /// POST /api/swap/prepare: the quote, and either the swap to sign or, first, the approval it needs.
    public struct Prepared: Encodable, Sendable {
        public let quote: Quote
        /// The router may not spend enough of `token_in` yet: sign `approval` first, then prepare again.
        public let approvalNeeded: Bool
        @OrNull public var approval: PreparedTransaction?
        @OrNull public var transaction: PreparedTransaction?

        enum CodingKeys: String, CodingKey { case quote, approvalNeeded = "approval_needed", approval, transaction }
    }

    /// What `amount` (decimal text) of `tokenIn` gives in `tokenOut` now.
    /// - Parameters:
    ///   - slippage: percent, e.g. "0.5" or "1%" (0.5 by default, at most 50, two decimals).
    ///   - owner: whose tokens a symbol may name besides the network's.
    /// - Throws: `invalidInput` naming the field (an unknown token, the same on both sides, a bad
    ///   amount or slippage, no pool for the pair); `unavailable` without a router on this network.
    public func quote(tokenIn: String, tokenOut: String, amount: String, slippage: String?, owner: Address?) async throws(AppError) -> Quote {
        let assetIn = try await asset(tokenIn, owner: owner, field: "token_in")
        let assetOut = try await asset(tokenOut, owner: owner, field: "token_out")
        let amountIn = try Validate.amount(amount, decimals: assetIn.decimals, symbol: assetIn.symbol, field: "amount")
        let basisPoints = try Self.slippage(slippage)
        guard let wrapped = context.network.defi.wrappedNative?.address else {
            throw .unavailable(summary: "No wrapped S", detail: "there is no wrapped S (wS) we know on \(context.network.name): swaps are not available")
        }
        let reads = try defiReads()
        let now = try await call { () async throws in try await reads.headTime() }
        let deadline = now + Self.deadlineSeconds
        let tokenIn = assetIn.address ?? wrapped
        let tokenOut = assetOut.address ?? wrapped
        if tokenIn == tokenOut {
            guard assetIn.isNative != assetOut.isNative else {
                throw .invalidInput(field: "token_out", summary: "Same token", detail: "token_out: \(assetOut.symbol) is what goes in: choose another token")
            }
            // Wrapping is one for one, with no pool and no fee.
            return makeQuote(assetIn.isNative ? .wrap : .unwrap, assetIn, assetOut, amountIn, out: amountIn, minimum: amountIn, basisPoints: 0,
                             impact: .zero, path: [wrapped], deadline: deadline, fees: [], contract: wrapped)
        }
        guard let aggregator else {
            return try await routerQuote(assetIn, assetOut, amountIn, basisPoints: basisPoints, wrapped: wrapped, reads: reads, deadline: deadline)
        }
        // Both asked at once; the one that gives more wins, and the preview says which and by how much.
        async let aggregated = aggregatorRoute(aggregator, assetIn, assetOut, amountIn)
        let routed: Result<Quote, AppError>
        do { routed = .success(try await routerQuote(assetIn, assetOut, amountIn, basisPoints: basisPoints, wrapped: wrapped, reads: reads, deadline: deadline)) }
        catch { routed = .failure(error) }
        let other = await aggregated
        var compared = [Self.alternative("router", routed.map(\.expectedOut), decimals: assetOut.decimals)]
        compared.append(Self.alternative(aggregator.name, other.map(\.amountOut), decimals: assetOut.decimals))
        var chosen: Quote
        switch (routed, other) {
        case (.success(let quote), .success(let route)) where route.amountOut <= quote.expectedOut:
            chosen = quote
        case (_, .success(let route)):
            let minimum = UInt256(route.amountOut.value * BigUInt(10_000 - basisPoints) / 10_000) ?? .zero
            // Measured against the V2 pools' own price when they have the pair; unknown otherwise.
            chosen = makeQuote(.swap, assetIn, assetOut, amountIn, out: route.amountOut, minimum: minimum, basisPoints: basisPoints,
                               impact: Self.impactAgainst(routed, out: route.amountOut), path: [tokenIn, tokenOut], deadline: deadline, fees: [], contract: route.router)
            chosen.source = aggregator.name
            chosen.aggregatorRoute = route
        case (.success(let quote), .failure):
            chosen = quote
        case (.failure(let error), .failure):
            throw error
        }
        chosen.compared = compared
        return chosen
    }

    /// The network's V2 router's quote for a swap (not wrapping).
    private func routerQuote(_ assetIn: Asset, _ assetOut: Asset, _ amountIn: UInt256, basisPoints: UInt64, wrapped: Address, reads: any DeFiReads,
                             deadline: UInt64) async throws(AppError) -> Quote
    {
        let tokenIn = assetIn.address ?? wrapped
        let tokenOut = assetOut.address ?? wrapped
        guard let router = context.network.defi.router?.address, let factory = context.network.defi.factory?.address else {
            throw .unavailable(summary: "No router", detail: "there is no V2 router we know on \(context.network.name): swaps are not available")
        }
        let (path, reserves) = try await route(tokenIn, tokenOut, via: wrapped, factory: factory, reads: reads, names: (assetIn, assetOut))
        let amounts = try await call { () async throws in try await reads.amountsOut(router: router, amountIn: amountIn, path: path) }
        let out = amounts.last ?? .zero
        guard out > .zero else {
            throw .invalidInput(field: "amount", summary: "Amount too small", detail: "amount: \(Units.exact(amountIn, decimals: assetIn.decimals)) \(assetIn.symbol) buys nothing in these pools")
        }
        let minimum = UInt256(out.value * BigUInt(10_000 - basisPoints) / 10_000) ?? .zero
        let fees = zip(path.dropLast(), amounts).map { token, input in
            let fee = UInt256(input.value * Self.feePerMille.value / 1_000) ?? .zero
            // The first pool takes its share of what the person pays (S paid in is wS inside); a second one of wS.
            return token == tokenIn ? PoolFee(token: assetIn.symbol, amount: fee, formatted: Units.exact(fee, decimals: assetIn.decimals))
                : PoolFee(token: "wS", amount: fee, formatted: Units.exact(fee, decimals: 18))
        }
        var quote = makeQuote(.swap, assetIn, assetOut, amountIn, out: out, minimum: minimum, basisPoints: basisPoints,
                              impact: Self.priceImpact(amountIn: amountIn, out: out, reserves: reserves), path: path, deadline: deadline, fees: fees,
                              contract: router)
        quote.reserves = reserves
        return quote
    }


    /// The quote and the transaction to sign: the swap, or first the router's approval for
    /// exactly `amount` when its allowance is short (for every token only when
    /// `unlimitedApproval`, with the approval's notice). `minimumOut` (base units), when given,
    /// replaces the slippage's minimum: the figure the person accepted on a card shown earlier.
    public func prepare(from: Address, tokenIn: String, tokenOut: String, amount: String, slippage: String?, minimumOut: String?,
                        unlimitedApproval: Bool = false) async throws(AppError) -> Prepared
    {
        var quote = try await quote(tokenIn: tokenIn, tokenOut: tokenOut, amount: amount, slippage: slippage, owner: from)
        if let minimumOut {
            guard let minimum = try? UInt256(parsing: minimumOut), !minimumOut.contains(".") else {
                throw .invalidInput(field: "minimum_out", summary: "Invalid minimum",
                                    detail: "minimum_out: an integer of \(quote.tokenOut.symbol)'s base units, as the quote gave it")
            }
            quote = quote.with(minimum: minimum)
        }
        let amountIn = quote.amountIn
        if let token = quote.tokenIn.address {
            let balance = try await call { () async throws in try await context.chain.tokenBalance(token, of: from) }
            guard amountIn <= balance else {
                throw .insufficientBalance(field: "amount", detail: "not enough \(quote.tokenIn.symbol): \(quote.amountInFormatted) needed, "
                                           + "\(Units.exact(balance, decimals: quote.tokenIn.decimals)) available")
            }
        }
        if quote.kind == .swap, let token = quote.tokenIn.address {
            let router = quote.contract
            let allowance = try await call { () async throws in try await context.chain.allowances([(token, router)], of: from).first ?? nil } ?? .zero
            if allowance < amountIn {
                let approval = try await allowances.prepareApprove(from: from, token: token.checksummed, spender: router.checksummed,
                                                                   amount: unlimitedApproval ? nil : Units.format(amountIn, decimals: quote.tokenIn.decimals),
                                                                   unlimited: unlimitedApproval)
                return Prepared(quote: quote, approvalNeeded: true, approval: approval, transaction: nil)
            }
        }
        let request: CallRequest
        if let route = quote.aggregatorRoute, let aggregator {
            request = try await aggregated(route, by: aggregator, quote: quote, from: from)
        } else {
            do {
                switch (quote.kind, quote.tokenIn.isNative, quote.tokenOut.isNative) {
                case (.wrap, _, _): request = try WrappedNative.depositRequest(token: quote.contract, amount: amountIn, from: from)
                case (.unwrap, _, _): request = try WrappedNative.withdrawRequest(token: quote.contract, amount: amountIn, from: from)
                case (.swap, true, _):
                    request = try UniswapV2Router.swapExactETHForTokensRequest(router: quote.contract, amountIn: amountIn, minimumOut: quote.minimumOut,
                                                                               path: quote.path, to: from, deadline: quote.deadline, from: from)
                case (.swap, false, true):
                    request = try UniswapV2Router.swapExactTokensForETHRequest(router: quote.contract, amountIn: amountIn, minimumOut: quote.minimumOut,
                                                                               path: quote.path, to: from, deadline: quote.deadline, from: from)
                case (.swap, false, false):
                    request = try UniswapV2Router.swapExactTokensForTokensRequest(router: quote.contract, amountIn: amountIn, minimumOut: quote.minimumOut,
                                                                                  path: quote.path, to: from, deadline: quote.deadline, from: from)
                }
            } catch {
                throw .internalFailure(detail: "the swap could not be encoded")
            }
        }
        let through = quote.aggregatorRoute == nil ? "" : " through \(quote.source)"
        let summary = switch quote.kind {
        case .wrap: "Wrap \(quote.amountInFormatted) S into wS"
        case .unwrap: "Unwrap \(quote.amountInFormatted) wS into S"
        case .swap: "Swap \(quote.amountInFormatted) \(quote.tokenIn.named) for at least \(quote.minimumOutFormatted) \(quote.tokenOut.named) "
            + "(about \(quote.expectedOutFormatted) expected)\(through)"
        }
        let minimum = "\(quote.minimumOutFormatted) \(quote.tokenOut.symbol)"
        let prepared = try await PreparedTransaction.make(request, summary: summary, context: context) { reason in
            guard case .message(let text) = reason else { return nil }
            // The V2 router's words, and the aggregator router's ("Return amount is not enough").
            if text.hasSuffix("INSUFFICIENT_OUTPUT_AMOUNT") || text.localizedCaseInsensitiveContains("return amount is not enough") {
                return "slippage exceeded: the pools now give less than the minimum of \(minimum) you accepted; quote again or allow more slippage"
            }
            return text.hasSuffix("EXPIRED") ? "the deadline has passed: quote again" : nil
        }
        let needed = (request.value ?? .zero).adding(prepared.maxFee) ?? .max
        try context.require(try await context.nativeBalance(of: from), covers: needed,
                            for: request.value == nil ? "the fee" : "the amount and the fee", field: request.value == nil ? "from" : "amount")
        return Prepared(quote: quote, approvalNeeded: false, approval: nil, transaction: prepared)
    }

    /// S, wS, a pool's token, or any token `TokenService` resolves.
    func asset(_ text: String, owner: Address?, field: String) async throws(AppError) -> Asset {
        let written = text.trimmingCharacters(in: .whitespaces)
        let defi = context.network.defi
        if written.uppercased() == context.network.nativeSymbol.uppercased() {
            return Asset(symbol: context.network.nativeSymbol, address: nil, decimals: 18, verified: true)
        }
        if let wrapped = defi.wrappedNative?.address,
           written.uppercased() == "WS" || (try? Address(written)) == wrapped {
            return Asset(symbol: "wS", address: wrapped, decimals: 18, verified: true)
        }
        if let pooled = defi.poolTokens.first(where: { $0.symbol.uppercased() == written.uppercased() || (try? Address(written)) == $0.address }) {
            return Asset(symbol: pooled.symbol, address: pooled.address, decimals: pooled.decimals, verified: true)
        }
        let token = try await tokens.resolve(written, for: owner, field: field)
        return Asset(symbol: token.symbol, address: token.address, decimals: token.decimals, verified: token.verified)
    }

    /// The direct pool of the two, or the two pools through wS; each step's reserves (in, out).
    private func route(_ tokenIn: Address, _ tokenOut: Address, via wrapped: Address, factory: Address, reads: any DeFiReads,
                       names: (Asset, Asset)) async throws(AppError) -> (path: [Address], reserves: [(UInt256, UInt256)])
    {
        let direct = try await call { () async throws in try await reads.reserves(factory: factory, tokenIn, tokenOut) }
        if let direct { return ([tokenIn, tokenOut], [(direct.reserveIn, direct.reserveOut)]) }
        if tokenIn != wrapped, tokenOut != wrapped {
            let first = try await call { () async throws in try await reads.reserves(factory: factory, tokenIn, wrapped) }
            let second = try await call { () async throws in try await reads.reserves(factory: factory, wrapped, tokenOut) }
            if let first, let second {
                return ([tokenIn, wrapped, tokenOut], [(first.reserveIn, first.reserveOut), (second.reserveIn, second.reserveOut)])
            }
        }
        throw .invalidInput(field: "token_out", summary: "No pool",
                            detail: "token_out: the router has no pool for \(names.0.symbol) and \(names.1.symbol), directly or through wS")
    }

    /// How far `out` is below what the pools' current prices would give for `amountIn` after
    /// their fees, in basis points: 1 − out ÷ (amountIn × Π(0.997 × reserveOut ÷ reserveIn)).
    static func priceImpact(amountIn: UInt256, out: UInt256, reserves: [(UInt256, UInt256)]) -> UInt256 {
        var numerator = amountIn.value
        var denominator = BigUInt(1)
        for (reserveIn, reserveOut) in reserves {
            numerator *= 997 * reserveOut.value
            denominator *= 1_000 * reserveIn.value
        }
        let got = out.value * denominator
        guard !numerator.isZero, numerator > got else { return .zero }
        return UInt256((numerator - got) * 10_000 / numerator) ?? .zero
    }

    /// Slippage in percent ("0.5", "1%") as basis points; the default when absent.
    static func slippage(_ text: String?) throws(AppError) -> UInt64 {
        guard let text else { return defaultSlippage }
        let written = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")
        guard let value = try? Units.parse(written, decimals: 2), let points = value.uint64, points <= maxSlippage else {
            throw .invalidInput(field: "slippage", summary: "Invalid slippage",
                                detail: "slippage: a percentage from 0 to 50 with at most two decimals, e.g. \"0.5\" (the default) or \"1\"")
        }
        return points
    }

    private func makeQuote(_ kind: Quote.Kind, _ assetIn: Asset, _ assetOut: Asset, _ amountIn: UInt256, out: UInt256, minimum: UInt256,
                           basisPoints: UInt64, impact: UInt256?, path: [Address], deadline: UInt64, fees: [PoolFee], contract: Address) -> Quote
    {
        let route = [assetIn.symbol] + (path.count > 2 ? ["wS"] : []) + [assetOut.symbol]
        var quote = Quote(kind: kind, tokenIn: assetIn, tokenOut: assetOut, amountIn: amountIn, amountInFormatted: Units.exact(amountIn, decimals: assetIn.decimals),
                     expectedOut: out, expectedOutFormatted: Units.exact(out, decimals: assetOut.decimals), minimumOut: minimum,
                     minimumOutFormatted: Units.exact(minimum, decimals: assetOut.decimals),
                     slippagePercent: Units.format(UInt256(basisPoints), decimals: 2), priceImpactPercent: impact.map { Units.format($0, decimals: 2) },
                     route: route, path: path, deadline: deadline, deadlineAt: StakingService.date(deadline), fees: fees, contract: contract)
        if kind != .swap { quote.source = "wS" }
        return quote
    }

    private func defiReads() throws(AppError) -> any DeFiReads {
        guard let reads = context.defi else {
            throw .unavailable(summary: "Swaps not available", detail: "swaps are not available on \(context.network.name)")
        }
        return reads
    }

    private func call<Value>(_ body: () async throws -> Value) async throws(AppError) -> Value {
        do { return try await body() } catch { throw AppError.chain(error, what: "the router") }
    }
}

extension SwapService.Quote {
    /// The same quote with the minimum the person accepted earlier.
    func with(minimum: UInt256) -> Self {
        var quote = self
        quote.minimumOut = minimum
        quote.minimumOutFormatted = Units.exact(minimum, decimals: tokenOut.decimals)
        return quote
    }

    /// "price impact 0.01%", or why it is not known.
    var impactText: String {
        priceImpactPercent.map { "price impact \($0)%" } ?? "price impact unknown (the router has no pool to measure it by)"
    }

    /// Where the quote comes from when more than one source was asked: " via KyberSwap (router:
    /// 12.3 SUSD)"; empty when only the router was asked.
    var sourceText: String {
        let others = compared.filter { $0.source != source }.map { other in
            other.expectedOutFormatted.map { "\(other.source): \($0) \(tokenOut.symbol)" } ?? "\(other.source) gave none: \(other.problem ?? "no answer")"
        }
        guard !others.isEmpty else { return "" }
        return " via \(source == "router" ? "the router" : source) (\(others.joined(separator: "; ")))"
    }

    /// The slippage, in basis points, that keeps an aggregator's minimum at or above `minimumOut`
    /// (rounded down: never a lower minimum than the person accepted).
    var slippageOfMinimum: UInt64 {
        guard expectedOut > .zero, minimumOut < expectedOut else { return 0 }
        return UInt64((expectedOut.value - minimumOut.value) * 10_000 / expectedOut.value)
    }
}
