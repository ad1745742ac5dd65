import Ethereum
import Foundation
import SonicStore

/// Sign-In with Ethereum (EIP-4361): single-use nonces, sessions in the store (by the hash of
/// their token), and a CSRF token for state-changing requests. The cookie that carries the
/// token is the API layer's.
public struct AuthService: Sendable {
    static let nonceLifetime: Double = 600
    public static let sessionLifetime: Double = 86_400

    let context: ChainContext
    /// Nonces and sessions, nil without a database.
    let sessions: (any SessionRepository)?
    let publicOrigin: String
    /// Signed-in addresses are added to it, for the indexer.
    var watchlist: Watchlist? = nil

    /// `host[:port]` of the public origin: what a sign-in message's domain must be.
    var domain: String {
        let url = URL(string: publicOrigin)!
        return url.port.map { "\(url.host!):\($0)" } ?? url.host!
    }

    public struct NonceAnswer: Encodable, Sendable {
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

    /// A fresh nonce and the fields the wallet's message must carry (`address` in its EIP-55
    /// form, which the message must use).
    public func nonce(for address: Address?) async throws(AppError) -> NonceAnswer {
        let nonce = Self.random(alphabet: "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", count: 17)
        let expires = context.clock.now().addingTimeInterval(Self.nonceLifetime)
        try await storeCall { () async throws(StoreError) in try await requireStore().saveNonce(nonce, expiresAt: expires) }
        return NonceAnswer(nonce: nonce, expiresAt: expires.ISO8601Format(), domain: domain, uri: publicOrigin, chainId: context.network.chainID,
                           address: address?.checksummed)
    }

    /// A session just opened: its token goes in the cookie, never in a body or a log.
    public struct SignedIn: Sendable {
        public let address: Address
        public let token: Secret
        public let csrfToken: String
        public let expiresAt: Date
    }

    /// The longest signature read: a contract wallet's may hold several owners' signatures.
    static let maxSignatureBytes = 2_048

    /// Checks the signed EIP-4361 message and opens a session. The signature is an account
    /// key's (ECDSA, either s form) or, for a contract account such as a Safe, whatever that
    /// contract accepts through EIP-1271 `isValidSignature`. The session ends at the message's
    /// expiration time when that is sooner than the session's own lifetime.
    public func signIn(message text: String, signature signatureText: String) async throws(AppError) -> SignedIn {
        let message: SIWEMessage
        do { message = try SIWEMessage(parsing: text) } catch {
            throw .invalidInput(field: "message", summary: "Invalid sign-in message", detail: "message: \(error)")
        }
        let signature = try Self.signatureBytes(signatureText)
        // The nonce is used up by this attempt whatever its outcome: a replay never succeeds.
        let fresh = try await storeCall { () async throws(StoreError) in try await requireStore().consumeNonce(message.nonce) }
        guard fresh else {
            throw .unauthenticated(field: "message", summary: "Nonce not valid",
                                   detail: "this nonce was not issued here, has expired or was already used; ask for a new one")
        }
        let now = context.clock.now()
        do {
            try message.checkClaims(.init(domain: domain, origin: publicOrigin, nonce: message.nonce, chainID: context.network.chainID), at: now)
        } catch {
            throw .unauthenticated(field: "message", summary: "Sign-in refused", detail: error.description)
        }
        guard try await isSigned(message, by: signature) else {
            throw .unauthenticated(field: "signature", summary: "Sign-in refused", detail: SIWEError.badSignature.description)
        }
        let token = Self.random(alphabet: "0123456789abcdef", count: 64)
        let csrf = Self.random(alphabet: "0123456789abcdef", count: 32)
        let expires = min(now.addingTimeInterval(Self.sessionLifetime), message.expirationTime?.date ?? .distantFuture)
        try await storeCall { () async throws(StoreError) in
            try await requireStore().createSession(tokenHash: Self.hash(token), address: message.address, csrfToken: csrf, expiresAt: expires)
        }
        watchlist?.watch(message.address, source: "sign-in")
        return SignedIn(address: message.address, token: Secret(Array(token.utf8)), csrfToken: csrf, expiresAt: expires)
    }

    /// The signature's bytes, bounded before they are decoded.
    static func signatureBytes(_ text: String) throws(AppError) -> [UInt8] {
        let accepted = "0x and the hex of 65 bytes (r, s, v), 64 (EIP-2098), or a contract wallet's signature (at most \(maxSignatureBytes) bytes)"
        guard text.utf8.count <= 2 + 2 * maxSignatureBytes, let bytes = try? Hex.decode(text), bytes.count >= 64 else {
            throw .invalidInput(field: "signature", summary: "Invalid signature", detail: "signature: expected \(accepted)")
        }
        return bytes
    }

    /// Whether the message's address signed it: its key, or its contract's EIP-1271 check.
    private func isSigned(_ message: SIWEMessage, by signature: [UInt8]) async throws(AppError) -> Bool {
        let text = Array(message.text.utf8)
        if let ecdsa = try? Signature(bytes: signature), PersonalMessage.verify(text, signature: ecdsa.lowS, address: message.address) {
            return true
        }
        do {
            return try await context.chain.accepts(signature, of: PersonalMessage.digest(text), by: message.address)
        } catch {
            throw AppError.chain(error, what: "the sign-in signature could not be checked with the wallet's contract")
        }
    }

    /// Ends the session of `token`, if there is one.
    public func signOut(token: String) async throws(AppError) {
        try await storeCall { () async throws(StoreError) in try await requireStore().deleteSession(tokenHash: Self.hash(token)) }
    }

    /// The session `token` opened, if it is still valid.
    public func session(token: String) async throws(AppError) -> Session? {
        try await storeCall { () async throws(StoreError) in try await sessions?.session(tokenHash: Self.hash(token)) }
    }

    /// Whether `sent` is the session's CSRF token (compared in constant time).
    public func csrfMatches(_ session: Session, sent: String?) -> Bool {
        guard let sent else { return false }
        return Keystore.constantTimeEqual(Array(sent.utf8), Array(session.csrfToken.utf8))
    }

    private func requireStore() throws(StoreError) -> any SessionRepository {
        guard let store = sessions else { throw StoreError.unavailable(path: "database", reason: "not open") }
        return store
    }

    /// Sessions are stored by the hash of their token: a copy of the database opens none.
    static func hash(_ token: String) -> String { Hex.encode(Keccak256.hash(token)) }

    static func random(alphabet: String, count: Int) -> String {
        let characters = Array(alphabet)
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in characters[Int.random(in: 0..<characters.count, using: &generator)] })
    }
}
