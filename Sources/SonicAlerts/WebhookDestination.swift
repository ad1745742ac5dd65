import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A webhook URL a person gave us, checked before we ever connect to it: http or https, a host
/// name or a public address, no credentials, at most `maxURLBytes`; and, when we connect, every
/// address its name resolves to public (not loopback, private, link-local, shared, multicast or
/// reserved), unless private destinations are allowed (`SONIC_WEBHOOK_ALLOW_PRIVATE`, for tests
/// and local set-ups). The call is then pinned to the addresses that were checked, so a second
/// lookup cannot point it elsewhere (DNS rebinding).
public struct WebhookDestination: Sendable, Equatable {
    public static let maxURLBytes = 2_048

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case invalid(String)
        case privateAddress(host: String)
        case unresolvable(host: String)

        public var description: String {
            switch self {
            case .invalid(let reason): reason
            case .privateAddress(let host):
                "\(host) is a loopback, private or reserved address; webhooks go to public addresses only"
            case .unresolvable(let host): "\(host) does not resolve to any address"
            }
        }
    }

    public let url: String
    public let scheme: String
    public let host: String
    public let port: Int

    /// - Throws: `Problem.invalid` saying what is wrong, or `.privateAddress` for an address
    ///   literal that is not public (unless `allowPrivate`).
    public init(_ text: String, allowPrivate: Bool = false) throws(Problem) {
        guard text.utf8.count <= Self.maxURLBytes else { throw .invalid("webhook_url is longer than \(Self.maxURLBytes) bytes") }
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(), let host = parts.host, !host.isEmpty else {
            throw .invalid("webhook_url must be an absolute http:// or https:// URL")
        }
        guard scheme == "http" || scheme == "https" else { throw .invalid("webhook_url must use http or https, not \(scheme)") }
        guard parts.user == nil, parts.password == nil else { throw .invalid("webhook_url must not carry a user name or password") }
        guard parts.fragment == nil else { throw .invalid("webhook_url must not have a #fragment") }
        let port = parts.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port) else { throw .invalid("webhook_url's port must be from 1 to 65535") }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let address = IPAddress(bare), !allowPrivate, !address.isPublic { throw .privateAddress(host: bare) }
        self.url = text
        self.scheme = scheme
        self.host = bare
        self.port = port
    }

    /// The host's addresses as libcurl's `CURLOPT_RESOLVE` entries (`host:port:address`), after
    /// checking that every one is public (unless `allowPrivate`).
    public func resolve(allowPrivate: Bool) throws(Problem) -> [String] {
        let addresses: [IPAddress]
        if let literal = IPAddress(host) { addresses = [literal] } else { addresses = IPAddress.lookup(host) }
        guard !addresses.isEmpty else { throw .unresolvable(host: host) }
        if !allowPrivate, addresses.contains(where: { !$0.isPublic }) { throw .privateAddress(host: host) }
        return ["\(host):\(port):\(addresses.map(\.curlForm).joined(separator: ","))"]
    }
}

/// An IPv4 or IPv6 address, as bytes.
public struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(_ text: String) {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var copy = bytes
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        guard inet_ntop(family, &copy, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// As CURLOPT_RESOLVE wants it (IPv6 in brackets).
    var curlForm: String { bytes.count == 4 ? description : "[\(description)]" }

    /// Whether the address is reachable on the public internet: not loopback, private (RFC
    /// 1918, unique local), link-local, shared (RFC 6598), documentation, benchmarking,
    /// multicast, unspecified or reserved; IPv4-mapped and NAT64 IPv6 addresses are judged by
    /// the IPv4 address inside.
    public var isPublic: Bool {
        if bytes.count == 4 { return Self.isPublicV4(bytes) }
        let b = bytes
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return Self.isPublicV4(Array(b[12..<16])) }  // ::ffff:a.b.c.d
        if b[0..<12] == [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return Self.isPublicV4(Array(b[12..<16])) }  // 64:ff9b::/96
        if b[0..<15].allSatisfy({ $0 == 0 }) { return false }  // :: and ::1
        if b[0] & 0xFE == 0xFC { return false }  // fc00::/7 unique local
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return false }  // fe80::/10 link-local
        if b[0] == 0xFF { return false }  // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return false }  // 2001:db8::/32 documentation
        if b[0] == 0x01 && b[1..<8].allSatisfy({ $0 == 0 }) { return false }  // 100::/64 discard
        return true
    }

    static func isPublicV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): false
        case (100, 64...127, _): false  // shared address space
        case (169, 254, _): false
        case (172, 16...31, _): false
        case (192, 168, _), (192, 0, 0), (192, 0, 2): false
        case (198, 18...19, _), (198, 51, 100), (203, 0, 113): false
        case (224...255, _, _): false  // multicast, reserved, broadcast
        default: true
        }
    }

    /// The addresses `host` resolves to (getaddrinfo), IPv4 and IPv6.
    static func lookup(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var found: [IPAddress] = []
        var node = list
        while let info = node?.pointee {
            if info.ai_family == AF_INET, let address = info.ai_addr {
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { found.append(IPAddress(bytes: withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) })) }
            } else if info.ai_family == AF_INET6, let address = info.ai_addr {
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { found.append(IPAddress(bytes: withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) })) }
            }
            node = info.ai_next
        }
        return found.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }
}
