import Ethereum
import Foundation
import SonicApp
import SonicHTTP

extension API {
    /// GET /api/subscription/{address}: premium status, price and period.
    func subscription(_ call: Route.Call) async throws -> Response {
        await .json(try app.subscriptions.status(try Validate.address(call.parameters[0], field: "address")))
    }

    struct PurchaseBody: Decodable {
        let from: String
        let months: Int
    }

    /// POST /api/subscription/prepare `{from, months}`: periods of 30 days, previewed like any transfer.
    func preparePurchase(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: PurchaseBody.self)
        return await .json(try app.subscriptions.preparePurchase(from: try Validate.address(body.from, field: "from"), months: body.months))
    }

    /// GET /api/auth/nonce[?address=]: a fresh nonce and the fields the wallet's message must carry.
    func nonce(_ call: Route.Call) async throws -> Response {
        let address = try call.request.queryItems["address"].map { (text) throws(AppError) in try Validate.address(text, field: "address") }
        var response = await Response.json(try app.auth.nonce(for: address))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct VerifyBody: Decodable {
        let message: String
        let signature: String
    }

    struct SignedIn: Encodable {
        let address: String
        let csrfToken: String
        let expiresAt: String

        enum CodingKeys: String, CodingKey { case address, csrfToken = "csrf_token", expiresAt = "expires_at" }
    }

    /// POST /api/auth/verify `{message, signature}`: checks the signed message, opens a session
    /// and sets its cookie.
    func signIn(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: VerifyBody.self)
        let session = try await app.auth.signIn(message: body.message, signature: body.signature)
        var response = Response.json(SignedIn(address: session.address.checksummed, csrfToken: session.csrfToken,
                                              expiresAt: session.expiresAt.ISO8601Format()))
        // The token is revealed here only, into the HttpOnly cookie the browser keeps.
        let token = String(decoding: session.token.revealedBytes, as: UTF8.self)
        response.headers.append(SessionCookie.header(token, maxAge: Int(AuthService.sessionLifetime), secure: secureCookies))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// GET /api/auth/me: who is signed in, until when, and the session's CSRF token, so that a
    /// new tab of the same browser (which shares the cookie, not the first tab's storage) can
    /// send state-changing requests. Another site cannot read this answer: it is same-origin
    /// (no CORS) and the cookie is `SameSite=Strict`.
    func me(_ call: Route.Call) async throws -> Response {
        guard let session = try await session(of: call.request) else {
            throw AppError.unauthenticated(field: nil, summary: "Not signed in", detail: "sign in with your wallet first")
        }
        var response = Response.json(SignedIn(address: session.address.checksummed, csrfToken: session.csrfToken,
                                              expiresAt: session.expiresAt.ISO8601Format()))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// POST /api/auth/logout: ends the session (CSRF checked at admission) and clears the cookie.
    func signOut(_ call: Route.Call) async throws -> Response {
        if let token = SessionCookie.token(in: call.request) { try await app.auth.signOut(token: token) }
        var response = Response(status: .noContent)
        response.headers.append(SessionCookie.header("", maxAge: 0, secure: secureCookies))
        return response
    }

    /// Cookies are `Secure` when the dashboard is served over https.
    var secureCookies: Bool { app.configuration.publicOrigin.hasPrefix("https://") }
}
