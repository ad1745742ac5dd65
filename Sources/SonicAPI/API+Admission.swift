import Foundation
import SonicApp
import SonicHTTP
import SonicStore

extension API {
    /// Rate limits (per session, or per client IP) and cross-site checks, before any work.
    func admit(_ request: Request, to route: Route) async throws {
        // A write that carries a session must be checked against it: if the session cannot be
        // read, the request is refused (503), never let through as signed out without its CSRF
        // check. Otherwise an unreadable session only means the signed-out rate limit.
        let session = Self.isWrite(request) && SessionCookie.token(in: request) != nil
            ? try await session(of: request) : try? await session(of: request)
        // Signed in: twice the limit; signed-in subscribers: four times (`Plans`).
        var weight: Double = 1
        if let session { weight = Plans.requestWeight(subscriber: await app.subscribers.isSubscriber(session.address.lowercased)) }
        try admit(request, to: route, session: session, weight: weight)
    }

    /// The same once the session (nil when signed out) and its weight are known: no waiting.
    /// Three limits apply: the session's (or, signed out, the IP's) bucket; the ceiling over
    /// everything from one IP, so that signing in again with fresh keys gains nothing; and, for
    /// the sign-in routes, sign-ins an hour per IP.
    func admit(_ request: Request, to route: Route, session: Session?, weight: Double) throws {
        let now = app.context.clock.now().timeIntervalSince1970
        let ip = request.remoteAddress
        let key = session.map { "session:\($0.address)" } ?? "ip:\(ip)"
        try take(app.limiter, key, weight: weight, now: now, what: "requests a minute")
        try take(app.ipCeiling, ip, now: now, what: "requests a minute from one network address, however many sessions it holds")
        if route.isSignIn { try take(app.signIns, ip, now: now, what: "sign-in requests an hour from one network address") }
        guard Self.isWrite(request) else { return }
        let origin = app.configuration.publicOrigin
        if let sent = request.headers[.origin], sent != origin {
            throw AppError.forbidden(summary: "Cross-origin request", detail: "requests must come from \(origin), not \(sent)")
        }
        // Signing in opens the session; every other write with a session proves it came from our pages.
        guard route.pattern != "/api/auth/verify", let session else { return }
        guard app.auth.csrfMatches(session, sent: request.headers[.csrfToken]) else {
            throw AppError.forbidden(summary: "Missing CSRF token", detail: "send the csrf_token from sign-in in the X-CSRF-Token header")
        }
    }

    /// Whether the request changes something (POST, DELETE…): those must come from our pages.
    static func isWrite(_ request: Request) -> Bool { request.method != .get && request.method != .head }

    /// A token of `limiter`'s bucket `key`, or a 429 saying the limit and when to come back.
    private func take(_ limiter: RateLimiter, _ key: String, weight: Double = 1, now: Double, what: String) throws(AppError) {
        guard let wait = limiter.take(key, weight: weight, now: now) else { return }
        let seconds = Int(wait.rounded(.up))
        throw AppError.rateLimited(retryAfter: seconds, detail: "at most \(Int(Double(limiter.limit) * weight)) \(what); try again in \(seconds) s")
    }

    /// The session the request's cookie names, if it is valid.
    func session(of request: Request) async throws(AppError) -> Session? {
        guard let token = SessionCookie.token(in: request) else { return nil }
        return try await app.auth.session(token: token)
    }
}

/// The cookie that carries a session's token: HttpOnly, SameSite=Strict, Secure on https.
enum SessionCookie {
    static let name = "sonic_session"

    /// The token of a well-formed session cookie (64 hex digits), if the request has one.
    static func token(in request: Request) -> String? {
        guard let header = request.headers[.cookie] else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == name, pair[1].count == 64, pair[1].allSatisfy(\.isHexDigit) { return String(pair[1]) }
        }
        return nil
    }

    /// The `Set-Cookie` value that stores `value` for `maxAge` seconds (0 clears it).
    static func header(_ value: String, maxAge: Int, secure: Bool) -> HTTPField {
        HTTPField(name: .setCookie, value: "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""))
    }
}
