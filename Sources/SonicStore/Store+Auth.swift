import Ethereum
import Foundation
import GRDB

/// A signed-in session. The token itself is never stored, only its SHA-256.
public struct Session: Sendable, Equatable {
    public let address: Address
    public let csrfToken: String
    public let expiresAt: Date

    public init(address: Address, csrfToken: String, expiresAt: Date) {
        self.address = address
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }

    /// The columns of `session` a record reads, in that order.
    enum Columns: Int, TableColumns {
        case address, csrfToken, expiresAt
        static let table = "session"
    }

    /// - Throws: `StoreError.corruptValue` naming the column that does not convert.
    init(row: some StoredRow) throws(StoreError) {
        address = try row.value(Columns.address)
        csrfToken = try row.value(Columns.csrfToken)
        expiresAt = Date(timeIntervalSince1970: try row.value(Columns.expiresAt))
    }
}

extension Store {
    /// Remembers a sign-in nonce until `expiresAt`.
    public func saveNonce(_ nonce: String, expiresAt: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM auth_nonce WHERE expires_at < ?", arguments: [Date().timeIntervalSince1970])
            try db.execute(sql: "INSERT INTO auth_nonce (nonce, expires_at) VALUES (?, ?)", arguments: [nonce, expiresAt.timeIntervalSince1970])
        }
    }

    /// Uses up a nonce: true once if it was issued and has not expired, false ever after.
    public func consumeNonce(_ nonce: String, at now: Date) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM auth_nonce WHERE nonce = ? AND expires_at >= ?", arguments: [nonce, now.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    /// Opens a session for `address` under the hash of its token.
    public func createSession(tokenHash: String, address: Address, csrfToken: String, expiresAt: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires_at < ?", arguments: [Date().timeIntervalSince1970])
            try db.execute(sql: "INSERT INTO session (token_hash, address, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [tokenHash, address, csrfToken, Date().timeIntervalSince1970, expiresAt.timeIntervalSince1970])
        }
    }

    /// The session under `tokenHash`, nil when there is none or it has expired.
    public func session(tokenHash: String, at now: Date) throws(StoreError) -> Session? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Session.Columns.selection()) FROM session WHERE token_hash = ? AND expires_at >= ?",
                             arguments: [tokenHash, now.timeIntervalSince1970]).map { row throws(StoreError) in try Session(row: row) }
        }
    }

    public func deleteSession(tokenHash: String) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [tokenHash]) }
    }
}
