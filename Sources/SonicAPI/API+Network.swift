import Ethereum
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
