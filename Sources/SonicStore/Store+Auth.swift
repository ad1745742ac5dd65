import Foundation
import GRDB

/// A signed-in session. The token itself is never stored, only its SHA-256.
public struct Session: Sendable, Equatable {
    public let address: String
    public let csrfToken: String
    public let expiresAt: Date
}

extension Store {
    /// Remembers a sign-in nonce until `expiresAt`.
    public func saveNonce(_ nonce: String, expiresAt: Date) throws(StoreError) {
        do {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM auth_nonce WHERE expires_at < ?", arguments: [Date().timeIntervalSince1970])
                try db.execute(sql: "INSERT INTO auth_nonce (nonce, expires_at) VALUES (?, ?)", arguments: [nonce, expiresAt.timeIntervalSince1970])
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// Uses up a nonce: true once if it was issued and has not expired, false ever after.
    public func consumeNonce(_ nonce: String, at now: Date = Date()) throws(StoreError) -> Bool {
        do {
            return try pool.write { db in
                try db.execute(sql: "DELETE FROM auth_nonce WHERE nonce = ? AND expires_at >= ?", arguments: [nonce, now.timeIntervalSince1970])
                return db.changesCount == 1
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    public func createSession(tokenHash: String, address: String, csrfToken: String, expiresAt: Date) throws(StoreError) {
        do {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM session WHERE expires_at < ?", arguments: [Date().timeIntervalSince1970])
                try db.execute(sql: "INSERT INTO session (token_hash, address, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [tokenHash, address, csrfToken, Date().timeIntervalSince1970, expiresAt.timeIntervalSince1970])
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    public func session(tokenHash: String, at now: Date = Date()) throws(StoreError) -> Session? {
        do {
            return try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT address, csrf_token, expires_at FROM session WHERE token_hash = ? AND expires_at >= ?",
                                 arguments: [tokenHash, now.timeIntervalSince1970]).map { row in
                    Session(address: row["address"], csrfToken: row["csrf_token"], expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
                }
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    public func deleteSession(tokenHash: String) throws(StoreError) {
        do {
            try pool.write { db in try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [tokenHash]) }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }
}
