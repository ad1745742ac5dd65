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
    public var issuedAt: SIWETimestamp
    public var expirationTime: SIWETimestamp?
    public var notBefore: SIWETimestamp?
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
        self.issuedAt = SIWETimestamp(issuedAt)
        self.expirationTime = expirationTime.map(SIWETimestamp.init)
        self.notBefore = notBefore.map(SIWETimestamp.init)
        self.requestID = requestID
        self.resources = resources
    }

    /// The exact text the wallet signs.
    public var text: String {
        var lines = ["\(scheme.map { "\($0)://" } ?? "")\(domain) wants you to sign in with your Ethereum account:", address.checksummed, ""]
        if let statement { lines.append(statement) }
        lines += ["", "URI: \(uri)", "Version: \(version)", "Chain ID: \(chainID)", "Nonce: \(nonce)",
                  "Issued At: \(issuedAt.text)"]
        if let expirationTime { lines.append("Expiration Time: \(expirationTime.text)") }
        if let notBefore { lines.append("Not Before: \(notBefore.text)") }
        if let requestID { lines.append("Request ID: \(requestID)") }
        if !resources.isEmpty { lines.append("Resources:"); lines += resources.map { "- \($0)" } }
        return lines.joined(separator: "\n")
    }

    /// What a server expects of the messages it accepts.
    public struct Expectation: Sendable {
        /// `host[:port]` of the site.
        public var domain: String
        /// The site's origin (`https://host[:port]`): the message's URI must be on it.
        public var origin: String
        public var nonce: String
        public var chainID: UInt64
        /// How far ahead of the server's clock `Issued At` may be (a wallet's clock runs fast).
        public var clockSkew: Double

        public init(domain: String, origin: String, nonce: String, chainID: UInt64, clockSkew: Double = 300) {
            self.domain = domain
            self.origin = origin
            self.nonce = nonce
            self.chainID = chainID
            self.clockSkew = clockSkew
        }
    }

    /// Checks the message's claims against what the server expects, not its signature (a
    /// contract account's signature is checked by the contract).
    /// - Throws: `SIWEError` naming the first claim that does not hold.
    public func checkClaims(_ expected: Expectation, at now: Date = Date()) throws(SIWEError) {
        guard domain == expected.domain else { throw .domainMismatch(expected: expected.domain, got: domain) }
        guard Self.origin(of: uri) == Self.origin(of: expected.origin) else { throw .uriMismatch(expected: expected.origin, got: uri) }
        guard chainID == expected.chainID else { throw .chainMismatch(expected: expected.chainID, got: chainID) }
        guard nonce == expected.nonce else { throw .nonceMismatch }
        if issuedAt.date.timeIntervalSince(now) > expected.clockSkew { throw .issuedInFuture(issuedAt.date) }
        if let expirationTime, now >= expirationTime.date { throw .expired(expirationTime.date) }
        if let notBefore, now < notBefore.date { throw .notYetValid(notBefore.date) }
    }

    /// Checks the claims and that the key of the message's address made `signature` (its
    /// high-s twin is accepted as the same signature).
    /// - Throws: `SIWEError` naming the first claim that does not hold, or `.badSignature`.
    public func verify(signature: Signature, _ expected: Expectation, at now: Date = Date()) throws(SIWEError) {
        try checkClaims(expected, at: now)
        guard PersonalMessage.verify(Array(text.utf8), signature: signature.lowS, address: address) else { throw .badSignature }
    }

    /// `scheme://host:port` of a URI, lower case, with the scheme's default port written out;
    /// nil when it has no host.
    static func origin(of uri: String) -> String? {
        guard let parts = URLComponents(string: uri), let scheme = parts.scheme?.lowercased(), let host = parts.host?.lowercased(), !host.isEmpty
        else { return nil }
        let port = parts.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
        return "\(scheme)://\(host):\(port)"
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = date.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0
            ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// A time in a SIWE message: the RFC 3339 text as written (so a parsed message prints back
/// exactly) and the instant it names.
public struct SIWETimestamp: Hashable, Sendable {
    public let text: String
    public let date: Date

    /// A timestamp for `date`, written in UTC with milliseconds when it has a fraction.
    public init(_ date: Date) {
        self.date = date
        text = SIWEMessage.format(date)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` strictly (RFC 3339 date-time).
    init(parsing text: String, field: String) throws(SIWEError) {
        let characters = Array(text)
        func digits(_ range: Range<Int>) -> Bool { range.upperBound <= characters.count && characters[range].allSatisfy { $0.isASCII && $0.isNumber } }
        func at(_ index: Int, _ allowed: String) -> Bool { index < characters.count && allowed.contains(characters[index]) }
        var valid = digits(0..<4) && at(4, "-") && digits(5..<7) && at(7, "-") && digits(8..<10) && at(10, "Tt")
            && digits(11..<13) && at(13, ":") && digits(14..<16) && at(16, ":") && digits(17..<19)
        var index = 19
        if valid && at(index, ".") {
            index += 1
            let start = index
            while index < characters.count && characters[index].isASCII && characters[index].isNumber { index += 1 }
            valid = index > start
        }
        if valid && at(index, "Zz") {
            index += 1
        } else if valid && at(index, "+-") {
            valid = digits((index + 1)..<(index + 3)) && at(index + 3, ":") && digits((index + 4)..<(index + 6))
            index += 6
        } else {
            valid = false
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        guard valid, index == characters.count, let date = formatter.date(from: text.uppercased()) else {
            throw .invalidField(field, "\"\(text)\" is not an RFC 3339 date-time such as 2026-11-27T10:00:00Z")
        }
        self.text = text
        self.date = date
    }
}

/// Why a SIWE message was refused.
public enum SIWEError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(line: Int, expected: String)
    case invalidField(String, String)
    case domainMismatch(expected: String, got: String)
    case chainMismatch(expected: UInt64, got: UInt64)
    case uriMismatch(expected: String, got: String)
    case nonceMismatch
    case issuedInFuture(Date)
    case expired(Date)
    case notYetValid(Date)
    case badSignature

    public var description: String {
        switch self {
        case .malformed(let line, let expected): "sign-in message line \(line): expected \(expected)"
        case .invalidField(let field, let reason): "sign-in message \(field): \(reason)"
        case .domainMismatch(let expected, let got): "sign-in message is for \(got), not \(expected)"
        case .chainMismatch(let expected, let got): "sign-in message is for chain id \(got), not \(expected)"
        case .uriMismatch(let expected, let got): "sign-in message URI \(got) is not on this site (\(expected))"
        case .nonceMismatch: "sign-in message nonce is not the one this server issued"
        case .issuedInFuture(let date): "sign-in message is issued at \(SIWEMessage.format(date)), in the future: check the device's clock"
        case .expired(let date): "sign-in message expired at \(SIWEMessage.format(date))"
        case .notYetValid(let date): "sign-in message is not valid before \(SIWEMessage.format(date))"
        case .badSignature: "the signature was not made by the message's address"
        }
    }
}
