import Ethereum
import SonicApp
import SonicHTTP

extension API {
    /// GET /api/staking/{address}: the validators, the address's stake and pending rewards with
    /// each, its withdrawal requests with when each opens, and the periods read now.
    func staking(_ call: Route.Call) async throws -> Response {
        let address = try Validate.address(call.parameters[0], field: "address")
        return Response.json(try await app.staking.overview(of: address)).notStored()
    }

    struct StakingBody: Decodable {
        let from: String
        let action: String
        let validator: UInt64?
        let amount: String?
        let wrID: UInt64?

        enum CodingKeys: String, CodingKey { case from, action, validator, amount, wrID = "wr_id" }
    }

    /// POST /api/staking/prepare `{from, action, validator, amount?, wr_id?}`: a delegate,
    /// undelegate, withdraw, claim or restake previewed, the SFC's refusals in plain words.
    func prepareStaking(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: StakingBody.self)
        let from = try Validate.address(body.from, field: "from")
        return await .json(try app.staking.prepare(from: from, action: body.action, validator: body.validator, amount: body.amount, wrID: body.wrID))
    }
}

extension API {
    struct SwapBody: Decodable {
        let from: String?
        let tokenIn: String
        let tokenOut: String
        let amount: String
        let slippage: String?
        let minimumOut: String?
        let unlimitedApproval: Bool?

        enum CodingKeys: String, CodingKey {
            case from, tokenIn = "token_in", tokenOut = "token_out", amount, slippage, minimumOut = "minimum_out", unlimitedApproval = "unlimited_approval"
        }
    }

    /// POST /api/swap/quote `{token_in, token_out, amount, slippage?, from?}`: what the router gives now.
    func swapQuote(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: SwapBody.self)
        let owner = try body.from.map { text throws(AppError) in try Validate.address(text, field: "from") }
        var response = Response.json(try await app.swaps.quote(tokenIn: body.tokenIn, tokenOut: body.tokenOut, amount: body.amount,
                                                               slippage: body.slippage, owner: owner))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// POST /api/swap/prepare `{from, token_in, token_out, amount, slippage?, minimum_out?, unlimited_approval?}`: the
    /// swap (or wrap, unwrap) previewed, or first the router's approval when it needs one.
    func prepareSwap(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: SwapBody.self)
        guard let text = body.from else {
            throw AppError.invalidInput(field: "from", summary: "Missing sender", detail: "from is required: the address that swaps (0x and 40 hex digits)")
        }
        let from = try Validate.address(text, field: "from")
        return await .json(try app.swaps.prepare(from: from, tokenIn: body.tokenIn, tokenOut: body.tokenOut, amount: body.amount,
                                                 slippage: body.slippage, minimumOut: body.minimumOut, unlimitedApproval: body.unlimitedApproval ?? false))
    }
}
