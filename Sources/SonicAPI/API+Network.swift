import Ethereum
import Foundation
import SonicApp
import SonicHTTP

extension API {
    /// GET /api/health: 200 when the node and the database answer, else 503 saying which does not.
    func health() async -> Response {
        let report = await app.health.check()
        var response = Response.json(report, status: report.status == .ok ? .ok : .serviceUnavailable)
        response.headers[.cacheControl] = "no-store"
        if report.status != .ok { response.headers[.retryAfter] = "5" }
        return response
    }

    /// GET /api/network: the chain we serve, its fees and our contracts.
    func network() async throws -> Response {
        await .json(try app.networkInfo.info())
    }

    /// GET /api/plans: what a visitor may do signed out, signed in and with Premium (the configuration's figures).
    func plans() -> Response {
        .json(Plans(configuration: app.configuration))
    }

    /// GET /api/price: what one S is worth in US dollars (the network's S/USD feed), or why that
    /// is not known. Pages multiply balances by it in integers (`answer` with `decimals` places).
    func price() async -> Response {
        var response: Response
        switch await app.context.prices.sPrice() {
        case .known(let price):
            response = .json(PriceResponse(symbol: app.context.network.nativeSymbol, known: true, usd: price.perUnit, answer: price.answer.description,
                                           decimals: price.decimals, updatedAt: Date(timeIntervalSince1970: Double(price.updatedAt)).ISO8601Format(),
                                           feed: price.feed.checksummed, reason: nil))
        case .unknown(let reason):
            response = .json(PriceResponse(symbol: app.context.network.nativeSymbol, known: false, usd: nil, answer: nil, decimals: nil,
                                           updatedAt: nil, feed: nil, reason: reason))
        }
        response.headers[.cacheControl] = "max-age=30"
        return response
    }

    /// GET /api/balance/{address}[?tokens=USDC,WS]: S and the named tokens, cached (stale while the node is down).
    func balance(_ call: Route.Call) async throws -> Response {
        let (address, tokens) = try balanceInput(call)
        return Self.balanceResponse(try await app.balances.balances(of: address, tokens: tokens))
    }

    /// The same when a fresh answer is kept in memory (most requests); nil otherwise.
    func freshBalance(_ call: Route.Call) throws -> Response? {
        let (address, tokens) = try balanceInput(call)
        return try app.balances.freshAnswer(of: address, tokens: tokens).map(Self.balanceResponse)
    }

    private func balanceInput(_ call: Route.Call) throws -> (Address, [String]) {
        let address = try Validate.address(call.parameters[0], field: "address")
        app.watchlist.watch(address, source: "lookup")
        let tokens = call.request.queryItems["tokens"].map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
        guard tokens.count <= Self.maxTokens else {
            throw AppError.invalidInput(field: "tokens", summary: "Too many tokens", detail: "tokens lists \(tokens.count) symbols; at most \(Self.maxTokens)")
        }
        return (address, tokens.filter { !$0.isEmpty })
    }

    /// The most symbols one balance request may list.
    static let maxTokens = 16

    private static func balanceResponse(_ answer: BalanceService.Answer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: answer.body)
    }
}

/// The answer of GET /api/price; the members of a known price are absent when it is not.
struct PriceResponse: Encodable {
    let symbol: String
    let known: Bool
    /// One S in dollars, exact ("0.5").
    let usd: String?
    /// The feed's integer answer and its decimals, for exact sums in the page.
    let answer: String?
    let decimals: Int?
    let updatedAt: String?
    let feed: String?
    let reason: String?

    enum CodingKeys: String, CodingKey { case symbol, known, usd, answer, decimals, updatedAt = "updated_at", feed, reason }
}
