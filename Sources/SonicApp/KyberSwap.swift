import Ethereum
import Foundation
import SonicChain

/// A swap aggregator's route and the transaction it builds from it. Only KyberSwap today.
public protocol SwapAggregator: Sendable {
    /// How the preview names where the quote comes from ("KyberSwap").
    var name: String { get }
    /// The best route for `amountIn` of `tokenIn` into `tokenOut` (nil: native S).
    func route(tokenIn: Address?, tokenOut: Address?, amountIn: UInt256) async throws(AppError) -> AggregatorRoute
    /// The calldata of `route` for `sender` (who also receives), with `slippage` in basis points.
    func build(_ route: AggregatorRoute, sender: Address, slippage: UInt64, deadline: UInt64) async throws(AppError) -> AggregatorBuild
}

/// What an aggregator says a swap gives, with the opaque summary its build step wants back.
public struct AggregatorRoute: Sendable {
    public let amountIn: UInt256
    public let amountOut: UInt256
    /// The contract the built transaction goes to (and the spender of a token going in).
    public let router: Address
    /// The aggregator's own description of the route, sent back verbatim to build it.
    let summary: JSONValue
    /// When it was taken (the clock's seconds): routes go stale in seconds.
    public let takenAt: Double
}

/// The transaction an aggregator built: to `router`, with `data` and `value`.
public struct AggregatorBuild: Sendable {
    public let amountOut: UInt256
    public let router: Address
    public let data: [UInt8]
    public let value: UInt256
}

/// KyberSwap's aggregator API (v1): `GET /{chain}/api/v1/routes` for a route and
/// `POST /{chain}/api/v1/route/build` for its calldata, with `x-client-id` on both. Native S is
/// `0xEeee…EEeE` there. A router other than the one we expect is refused: the calldata of an
/// outside service is never sent to a contract we did not name.
public struct KyberSwap: SwapAggregator {
    public let name = "KyberSwap"
    let baseURL: String
    let chain: String
    let clientID: String
    /// The only router its answers may name (MetaAggregationRouterV2 unless configured).
    let router: Address
    let transport: CurlMultiTransport
    let clock: any TimeSource

    /// KyberSwap's name for a chain's native coin.
    static let native = try! Address("0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE")
    /// The most bytes of an answer read (a route lists its pools; a few KB in practice).
    static let maxAnswerBytes = 512 * 1_024
    /// Seconds one call may take: a quote waits for it.
    static let timeout = 5.0

    public init(baseURL: String, chain: String, clientID: String, router: Address, transport: CurlMultiTransport, clock: any TimeSource) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.chain = chain
        self.clientID = clientID
        self.router = router
        self.transport = transport
        self.clock = clock
    }

    public func route(tokenIn: Address?, tokenOut: Address?, amountIn: UInt256) async throws(AppError) -> AggregatorRoute {
        let query = "tokenIn=\((tokenIn ?? Self.native).checksummed)&tokenOut=\((tokenOut ?? Self.native).checksummed)&amountIn=\(amountIn)"
        let answer = try await call { () async throws(CurlMultiTransport.Failure) in
            try await transport.get(url: "\(baseURL)/\(chain)/api/v1/routes?\(query)", headers: headers, timeout: Self.timeout,
                                    maxResponseBytes: Self.maxAnswerBytes)
        }
        guard case .object(let data)? = answer["data"], let summary = data["routeSummary"], case .object(let fields) = summary,
              let out = fields["amountOut"]?.stringValue.flatMap({ try? UInt256(parsing: $0) }),
              let amount = fields["amountIn"]?.stringValue.flatMap({ try? UInt256(parsing: $0) }), amount == amountIn,
              let named = data["routerAddress"]?.stringValue.flatMap({ try? Address($0) }) else {
            throw Self.bad("its route answer lacks data.routeSummary with amountIn and amountOut, or data.routerAddress")
        }
        try requireOurRouter(named)
        return AggregatorRoute(amountIn: amountIn, amountOut: out, router: named, summary: summary, takenAt: clock.now().timeIntervalSince1970)
    }

    public func build(_ route: AggregatorRoute, sender: Address, slippage: UInt64, deadline: UInt64) async throws(AppError) -> AggregatorBuild {
        let body = JSONValue.object([
            "routeSummary": route.summary, "sender": .string(sender.checksummed), "recipient": .string(sender.checksummed),
            "slippageTolerance": .integer(.init(slippage)), "deadline": .integer(.init(deadline)), "source": .string(clientID),
        ])
        let answer = try await call { () async throws(CurlMultiTransport.Failure) in
            try await transport.post(url: "\(baseURL)/\(chain)/api/v1/route/build", body: body.serialized(),
                                     headers: headers + ["Content-Type: application/json"], timeout: Self.timeout,
                                     guard: .init(resolve: [], maxResponseBytes: Self.maxAnswerBytes))
        }
        guard case .object(let data)? = answer["data"],
              let out = data["amountOut"]?.stringValue.flatMap({ try? UInt256(parsing: $0) }),
              let named = data["routerAddress"]?.stringValue.flatMap({ try? Address($0) }),
              let calldata = data["data"]?.stringValue.flatMap({ try? Hex.decode($0) }), !calldata.isEmpty else {
            throw Self.bad("its build answer lacks data.amountOut, data.routerAddress or data.data")
        }
        try requireOurRouter(named)
        let value = data["transactionValue"]?.stringValue.flatMap { try? UInt256(parsing: $0) } ?? .zero
        return AggregatorBuild(amountOut: out, router: named, data: calldata, value: value)
    }

    private var headers: [String] { ["x-client-id: \(clientID)", "Accept: application/json"] }

    private func requireOurRouter(_ named: Address) throws(AppError) {
        guard named == router else {
            throw Self.bad("it named the router \(named.checksummed), not \(router.checksummed) (SONIC_KYBERSWAP_ROUTER)")
        }
    }

    /// The answer's JSON object; KyberSwap's `{code, message}` refusals and transport failures as `AppError`.
    private func call(_ exchange: () async throws(CurlMultiTransport.Failure) -> HTTPTransport.Response) async throws(AppError) -> [String: JSONValue] {
        let response: HTTPTransport.Response
        do { response = try await exchange() } catch {
            throw .unavailable(summary: "Aggregator unavailable", detail: "KyberSwap did not answer in time")
        }
        let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(response.body))
        guard response.status == 200, let object else {
            let message = object?["message"]?.stringValue.map { ": \($0.prefix(160))" } ?? ""
            throw Self.bad("it answered \(response.status)\(message)")
        }
        return object
    }

    static func bad(_ what: String) -> AppError {
        .badUpstream(summary: "Aggregator answer refused", detail: "KyberSwap's answer was not used: \(what)")
    }
}
