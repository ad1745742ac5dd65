import Foundation

extension SIWEMessage {
    /// Parses a message strictly by the EIP-4361 ABNF: fixed line order, exact prefixes,
    /// an EIP-55 checksummed address, RFC 3339 times, a nonce of at least 8 letters or digits.
    /// - Throws: `SIWEError.malformed` with the line number, or `.invalidField`.
    public init(parsing text: String) throws(SIWEError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        func line() -> String? { index < lines.count ? lines[index] : nil }
        func expect(_ prefix: String, _ description: String) throws(SIWEError) -> String {
            guard let current = line(), current.hasPrefix(prefix) else { throw .malformed(line: index + 1, expected: description) }
            index += 1
            return String(current.dropFirst(prefix.count))
        }

        let suffix = " wants you to sign in with your Ethereum account:"
        guard let header = line(), header.hasSuffix(suffix) else {
            throw .malformed(line: 1, expected: "\"<domain>\(suffix)\"")
        }
        index += 1
        var authority = String(header.dropLast(suffix.count))
        var scheme: String?
        if let range = authority.range(of: "://") {
            scheme = String(authority[..<range.lowerBound])
            authority = String(authority[range.upperBound...])
            guard let first = scheme?.first, first.isLetter,
                  scheme!.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else {
                throw .invalidField("scheme", "\"\(scheme!)\" is not a URI scheme")
            }
        }
        guard !authority.isEmpty, authority.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._~:[]@".contains($0)) }) else {
            throw .invalidField("domain", "\"\(authority)\" is not a host with an optional port")
        }

        let addressText = try expect("0x", "the signing address (0x and 40 hex digits)")
        let address: Address
        do { address = try Address("0x" + addressText) } catch { throw .invalidField("address", error.description) }
        guard address.checksummed == "0x" + addressText else {
            throw .invalidField("address", "must be written in EIP-55 checksummed form (\(address.checksummed))")
        }
        _ = try expect("", "an empty line")
        guard lines.count > index, lines[index].isEmpty || !lines[index].hasPrefix("URI: ") else {
            throw .malformed(line: index + 1, expected: "a statement or an empty line")
        }
        var statement: String?
        if let current = line(), !current.isEmpty {
            statement = current
            index += 1
        }
        guard line() == "" else { throw .malformed(line: index + 1, expected: "an empty line") }
        index += 1
        let uri = try expect("URI: ", "\"URI: <uri>\"")
        guard Self.isURI(uri) else { throw .invalidField("URI", "\"\(uri)\" is not an absolute URI") }
        let version = try expect("Version: ", "\"Version: 1\"")
        guard version == "1" else { throw .invalidField("Version", "must be 1, got \"\(version)\"") }
        let chainText = try expect("Chain ID: ", "\"Chain ID: <number>\"")
        guard let chainID = UInt64(chainText), chainText.allSatisfy(\.isNumber) else {
            throw .invalidField("Chain ID", "\"\(chainText)\" is not a chain id")
        }
        let nonce = try expect("Nonce: ", "\"Nonce: <nonce>\"")
        guard nonce.count >= 8, nonce.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .invalidField("Nonce", "must be at least 8 letters or digits")
        }
        let issuedAt = try SIWETimestamp(parsing: try expect("Issued At: ", "\"Issued At: <date-time>\""), field: "Issued At")
        var message = SIWEMessage(scheme: scheme, domain: authority, address: address, statement: statement, uri: uri,
                                  version: version, chainID: chainID, nonce: nonce, issuedAt: issuedAt.date)
        message.issuedAt = issuedAt
        if line()?.hasPrefix("Expiration Time: ") == true {
            message.expirationTime = try SIWETimestamp(parsing: try expect("Expiration Time: ", ""), field: "Expiration Time")
        }
        if line()?.hasPrefix("Not Before: ") == true {
            message.notBefore = try SIWETimestamp(parsing: try expect("Not Before: ", ""), field: "Not Before")
        }
        if line()?.hasPrefix("Request ID: ") == true {
            let requestID = try expect("Request ID: ", "")
            guard !requestID.contains(" ") else { throw .invalidField("Request ID", "must not contain spaces") }
            message.requestID = requestID
        }
        if line() == "Resources:" {
            index += 1
            while let current = line(), current.hasPrefix("- ") {
                let resource = String(current.dropFirst(2))
                guard Self.isURI(resource) else { throw .invalidField("Resources", "\"\(resource)\" is not an absolute URI") }
                message.resources.append(resource)
                index += 1
            }
        }
        guard index == lines.count else { throw .malformed(line: index + 1, expected: "the end of the message") }
        self = message
    }

    /// An absolute URI: a scheme, a colon, and no whitespace.
    static func isURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
              text[..<colon].first!.isLetter,
              text[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return false }
        return !text.contains { $0.isWhitespace } && text.index(after: colon) != text.endIndex
    }
}
