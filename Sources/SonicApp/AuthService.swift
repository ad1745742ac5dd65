import Ethereum
import SonicHTTP
import Foundation
import SonicStore

/// Sign-In with Ethereum (EIP-4361): single-use nonces, sessions in SQLite behind an
/// HttpOnly, SameSite=Strict cookie, and a CSRF token for state-changing requests.
public struct AuthService: Sendable {
    static let cookieName = "sonic_session"
    static let nonceLifetime: Double = 600
    static let sessionLifetime: Double = 86_400

    let context: ChainContext
    let publicOrigin: String
    /// Signed-in addresses are added to it, for the indexer.
    var watchlist: Watchlist? = nil

    /// `host[:port]` of the public origin: what a sign-in message's domain must be.
    var domain: String {
        let url = URL(string: publicOrigin)!
        return url.port.map { "\(url.host!):\($0)" } ?? url.host!
    }

    var secureCookies: Bool { publicOrigin.hasPrefix("https://") }

    struct NonceAnswer: Encodable {
        let nonce: String
        let expiresAt: String
        let domain: String
        let uri: String
        let chainId: UInt64
        let version = "1"
        let statement = "Sign in to Smart Sonic."
        /// The EIP-55 form of `?address=`, which the message must use.
        let address: String?

        enum CodingKeys: String, CodingKey { case nonce, expiresAt = "expires_at", domain, uri, chainId = "chain_id", version, statement, address }
    }

    /// GET /api/auth/nonce[?address=]: a fresh nonce and the fields the wallet's message must carry.
    func nonce(_ request: Request) throws(Problem) -> NonceAnswer {
        let address = try request.queryItems["address"].map { (text) throws(Problem) in try Validate.address(text, field: "address", status: 400) }
        let nonce = Self.random(alphabet: "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", count: 17)
        let expires = Date().addingTimeInterval(Self.nonceLifetime)
        try storeCall { () throws(StoreError) in try requireStore().saveNonce(nonce, expiresAt: expires) }
        return NonceAnswer(nonce: nonce, expiresAt: expires.ISO8601Format(), domain: domain, uri: publicOrigin, chainId: context.network.chainID,
                           address: address?.checksummed)
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

    /// POST /api/auth/verify: checks the signed message and opens a session.
    func verify(_ request: Request) throws(Problem) -> Response {
        let body = try RequestBody.decode(request, as: VerifyBody.self, fields: ["message", "signature"])
        let message: SIWEMessage
        do { message = try SIWEMessage(parsing: body.message) } catch {
            throw Problem(status: 422, title: "Invalid sign-in message", detail: "message: \(error)", field: "message")
        }
        let signature: Signature
        do { signature = try Signature(hex: body.signature) } catch {
            throw Problem(status: 422, title: "Invalid signature", detail: "signature: \(error)", field: "signature")
        }
        // The nonce is used up by this attempt whatever its outcome: a replay never succeeds.
        let fresh = try storeCall { () throws(StoreError) in try requireStore().consumeNonce(message.nonce) }
        guard fresh else {
            throw Problem(status: 401, title: "Nonce not valid", detail: "this nonce was not issued here, has expired or was already used; ask for a new one",
                          field: "message")
        }
        do {
            try message.verify(signature: signature, domain: domain, nonce: message.nonce, chainID: context.network.chainID)
        } catch {
            throw Problem(status: 401, title: "Sign-in refused", detail: error.description, field: error == .badSignature ? "signature" : "message")
        }
        let token = Self.random(alphabet: "0123456789abcdef", count: 64)
        let csrf = Self.random(alphabet: "0123456789abcdef", count: 32)
        let expires = Date().addingTimeInterval(Self.sessionLifetime)
        try storeCall { () throws(StoreError) in
            try requireStore().createSession(tokenHash: Self.hash(token), address: message.address.lowercased, csrfToken: csrf, expiresAt: expires)
        }
        watchlist?.watch(message.address, source: "sign-in", store: context.store)
        var response = Response.json(SignedIn(address: message.address.checksummed, csrfToken: csrf, expiresAt: expires.ISO8601Format()))
        response.headers.append(("Set-Cookie", cookie(token, maxAge: Int(Self.sessionLifetime))))
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    /// GET /api/auth/me.
    func me(_ request: Request) throws(Problem) -> Response {
        guard let session = try session(of: request) else {
            throw Problem(status: 401, title: "Not signed in", detail: "sign in with your wallet first")
        }
        struct Me: Encodable { let address: String; let expires_at: String }
        let address = (try? Address(session.address))?.checksummed ?? session.address
        return .json(Me(address: address, expires_at: session.expiresAt.ISO8601Format()))
    }

    /// POST /api/auth/logout: ends the session (CSRF checked by the caller) and clears the cookie.
    func logout(_ request: Request) throws(Problem) -> Response {
        if let token = Self.cookieToken(request) {
            try storeCall { () throws(StoreError) in try requireStore().deleteSession(tokenHash: Self.hash(token)) }
        }
        var response = Response(status: 204)
        response.headers.append(("Set-Cookie", cookie("", maxAge: 0)))
        return response
    }

    /// The session the request's cookie names, if it is valid.
    func session(of request: Request) throws(Problem) -> Session? {
        guard let token = Self.cookieToken(request) else { return nil }
        return try storeCall { () throws(StoreError) in try context.store?.session(tokenHash: Self.hash(token)) }
    }

    /// State-changing requests: a browser's Origin must be ours, and with a session cookie the
    /// CSRF token must come in X-CSRF-Token.
    func checkCrossSite(_ request: Request) throws(Problem) {
        if let origin = request.headers["origin"], origin != publicOrigin {
            throw Problem(status: 403, title: "Cross-origin request", detail: "requests must come from \(publicOrigin), not \(origin)")
        }
        guard let session = try session(of: request) else { return }
        guard let sent = request.headers["x-csrf-token"], Keystore.constantTimeEqual(Array(sent.utf8), Array(session.csrfToken.utf8)) else {
            throw Problem(status: 403, title: "Missing CSRF token", detail: "send the csrf_token from sign-in in the X-CSRF-Token header")
        }
    }

    private func cookie(_ value: String, maxAge: Int) -> String {
        "\(Self.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }

    private func requireStore() throws(StoreError) -> Store {
        guard let store = context.store else { throw StoreError.unavailable(path: "database", reason: "not open") }
        return store
    }

    static func cookieToken(_ request: Request) -> String? {
        guard let header = request.headers["cookie"] else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == cookieName, pair[1].count == 64, pair[1].allSatisfy(\.isHexDigit) { return String(pair[1]) }
        }
        return nil
    }

    /// Sessions are stored by the hash of their token: a copy of the database opens none.
    static func hash(_ token: String) -> String { Hex.encode(Keccak256.hash(token)) }

    static func random(alphabet: String, count: Int) -> String {
        let characters = Array(alphabet)
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in characters[Int.random(in: 0..<characters.count, using: &generator)] })
    }
}
