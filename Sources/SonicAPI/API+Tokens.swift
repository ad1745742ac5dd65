import Ethereum
import SonicApp
import SonicHTTP

extension API {
    /// GET /api/tokens/{address}: S and every token the address holds (verified, added, received
    /// in its history), each with its balance, at one block.
    func tokens(_ call: Route.Call) async throws -> Response {
        let address = try Validate.address(call.parameters[0], field: "address")
        return Response.json(try await app.tokens.holdings(of: address)).notStored()
    }

    struct AddTokenBody: Decodable { let token: String? }

    struct AddedToken: Encodable { let token: TokenService.Token }

    /// POST /api/tokens `{token}`: the signed-in address adds a token by its contract (201).
    func addToken(_ call: Route.Call) async throws -> Response {
        let (owner, _) = try await signedIn(call, for: "add a token")
        let body = try call.body(as: AddTokenBody.self)
        guard let text = body.token else {
            throw AppError.invalidInput(field: "token", summary: "Missing token", detail: "token is required: the token contract's address (0x and 40 hex digits)")
        }
        let token = try await app.tokens.add(try Validate.address(text, field: "token"), for: owner)
        return .json(AddedToken(token: token), status: .created)
    }

    /// DELETE /api/tokens/{address}: removes the token at `address` from those the signed-in
    /// address added (204).
    func removeToken(_ call: Route.Call) async throws -> Response {
        let (owner, _) = try await signedIn(call, for: "remove a token")
        try await app.tokens.remove(try Validate.address(call.parameters[0], field: "address"), for: owner)
        return Response(status: .noContent)
    }

    /// GET /api/allowances/{address}: the allowances the address gave, each as it is now.
    func allowances(_ call: Route.Call) async throws -> Response {
        let owner = try Validate.address(call.parameters[0], field: "address")
        return Response.json(try await app.allowances.allowances(of: owner)).notStored()
    }

    struct ApproveBody: Decodable {
        let from: String
        let token: String
        let spender: String
        let amount: String?
        let unlimited: Bool?
    }

    /// POST /api/allowances/approve `{from, token, spender, amount | unlimited: true}`: an
    /// approval previewed (the exact amount; unlimited only when asked, with a notice).
    func prepareApprove(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: ApproveBody.self)
        let from = try Validate.address(body.from, field: "from")
        return await .json(try app.allowances.prepareApprove(from: from, token: body.token, spender: body.spender, amount: body.amount,
                                                             unlimited: body.unlimited ?? false))
    }

    struct RevokeBody: Decodable {
        let from: String
        let token: String
        let spender: String
    }

    /// POST /api/allowances/revoke `{from, token, spender}`: `approve(spender, 0)` previewed.
    func prepareRevoke(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: RevokeBody.self)
        let from = try Validate.address(body.from, field: "from")
        return await .json(try app.allowances.prepareRevoke(from: from, token: body.token, spender: body.spender))
    }
}
