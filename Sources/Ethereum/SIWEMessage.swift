import Foundation

/// A Sign-In with Ethereum message: build it, parse it strictly, verify a signature of it.
/// See https://eips.ethereum.org/EIPS/eip-4361
public struct SIWEMessage: Hashable, Sendable {
    public var scheme: String?
    public var domain: String
    public var address: Address
    public var statement: String?
    public var uri: String
    public var version: String
    public var chainID: UInt64
    public var nonce: String
    public var issuedAt: Date
    public var expirationTime: Date?
    public var notBefore: Date?
    public var requestID: String?
    public var resources: [String]

    public init(scheme: String? = nil, domain: String, address: Address, statement: String? = nil, uri: String,
                version: String = "1", chainID: UInt64, nonce: String, issuedAt: Date, expirationTime: Date? = nil,
                notBefore: Date? = nil, requestID: String? = nil, resources: [String] = []) {
        self.scheme = scheme
        self.domain = domain
        self.address = address
        self.statement = statement
        self.uri = uri
        self.version = version
        self.chainID = chainID
        self.nonce = nonce
        self.issuedAt = issuedAt
        self.expirationTime = expirationTime
        self.notBefore = notBefore
        self.requestID = requestID
        self.resources = resources
    }

    /// The exact text the wallet signs.
    public var text: String {
        var lines = ["\(scheme.map { "\($0)://" } ?? "")\(domain) wants you to sign in with your Ethereum account:", address.checksummed, ""]
        if let statement { lines.append(statement) }
        lines += ["", "URI: \(uri)", "Version: \(version)", "Chain ID: \(chainID)", "Nonce: \(nonce)",
                  "Issued At: \(Self.format(issuedAt))"]
        if let expirationTime { lines.append("Expiration Time: \(Self.format(expirationTime))") }
        if let notBefore { lines.append("Not Before: \(Self.format(notBefore))") }
        if let requestID { lines.append("Request ID: \(requestID)") }
        if !resources.isEmpty { lines.append("Resources:"); lines += resources.map { "- \($0)" } }
        return lines.joined(separator: "\n")
    }

    /// Checks a signature and the message's claims against what the server expects.
    /// - Throws: `SIWEError` naming the first claim that does not hold.
    public func verify(signature: Signature, domain expectedDomain: String, nonce expectedNonce: String,
                       chainID expectedChainID: UInt64, at now: Date = Date()) throws(SIWEError) {
        guard domain == expectedDomain else { throw .domainMismatch(expected: expectedDomain, got: domain) }
        guard chainID == expectedChainID else { throw .chainMismatch(expected: expectedChainID, got: chainID) }
        guard nonce == expectedNonce else { throw .nonceMismatch }
        if let expirationTime, now >= expirationTime { throw .expired(expirationTime) }
        if let notBefore, now < notBefore { throw .notYetValid(notBefore) }
        guard PersonalMessage.verify(Array(text.utf8), signature: signature, address: address) else { throw .badSignature }
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = date.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0
            ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parseDate(_ text: String, field: String) throws(SIWEError) -> Date {
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        throw .invalidField(field, "\"\(text)\" is not an RFC 3339 date-time such as 2026-11-27T10:00:00Z")
    }
}

/// Why a SIWE message was refused.
public enum SIWEError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(line: Int, expected: String)
    case invalidField(String, String)
    case domainMismatch(expected: String, got: String)
    case chainMismatch(expected: UInt64, got: UInt64)
    case nonceMismatch
    case expired(Date)
    case notYetValid(Date)
    case badSignature

    public var description: String {
        switch self {
        case .malformed(let line, let expected): "sign-in message line \(line): expected \(expected)"
        case .invalidField(let field, let reason): "sign-in message \(field): \(reason)"
        case .domainMismatch(let expected, let got): "sign-in message is for \(got), not \(expected)"
        case .chainMismatch(let expected, let got): "sign-in message is for chain id \(got), not \(expected)"
        case .nonceMismatch: "sign-in message nonce is not the one this server issued"
        case .expired(let date): "sign-in message expired at \(SIWEMessage.format(date))"
        case .notYetValid(let date): "sign-in message is not valid before \(SIWEMessage.format(date))"
        case .badSignature: "the signature was not made by the message's address"
        }
    }
}
