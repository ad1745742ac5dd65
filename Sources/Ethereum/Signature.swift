import CSecp256k1

/// A recoverable ECDSA signature: r, s (32 bytes each) and the y parity (0 or 1).
///
/// Parsed from the 65-byte form `r ‖ s ‖ v` (v = 27/28 or 0/1) or the 64-byte EIP-2098
/// compact form `r ‖ yParityAndS`. See https://eips.ethereum.org/EIPS/eip-2098
public struct Signature: Hashable, Sendable {
    public let r: [UInt8]
    public let s: [UInt8]
    public let yParity: UInt8

    public init(r: [UInt8], s: [UInt8], yParity: UInt8) {
        self.r = r
        self.s = s
        self.yParity = yParity
    }

    /// From 65 bytes (`r ‖ s ‖ v`, v in 0, 1, 27, 28) or 64 bytes (EIP-2098).
    public init(bytes: [UInt8]) throws(SignatureError) {
        switch bytes.count {
        case 65:
            let v = bytes[64]
            guard [0, 1, 27, 28].contains(v) else { throw .invalidRecoveryID(v) }
            self.init(r: Array(bytes[0..<32]), s: Array(bytes[32..<64]), yParity: v >= 27 ? v - 27 : v)
        case 64:
            var s = Array(bytes[32..<64])
            let yParity = s[0] >> 7
            s[0] &= 0x7f
            self.init(r: Array(bytes[0..<32]), s: s, yParity: yParity)
        default:
            throw .wrongLength(bytes.count)
        }
    }

    /// `0x`-hex of 65 or 64 bytes.
    public init(hex text: String) throws(SignatureError) {
        do { try self.init(bytes: try Hex.decode(text)) } catch let error as SignatureError { throw error } catch {
            throw .notHex(text)
        }
    }

    /// `r ‖ s ‖ v` with v = 27 + yParity, as `personal_sign` returns.
    public var bytes65: [UInt8] { r + s + [27 + yParity] }

    /// EIP-2098: `r ‖ (yParity << 255 | s)`.
    public var compact: [UInt8] {
        var yParityAndS = s
        yParityAndS[0] |= yParity << 7
        return r + yParityAndS
    }

    /// Whether s ≤ n/2, as EIP-2 requires of transactions.
    public var hasLowS: Bool { s.lexicographicallyPrecedes(Secp256k1.halfOrder) || s == Secp256k1.halfOrder }

    /// The same signature with s in the lower half of the curve order, as EIP-2 writes it:
    /// n − s and the other y parity when s is high (both recover the same key); itself otherwise.
    public var lowS: Signature {
        guard !hasLowS, let order = UInt256(bigEndian: Secp256k1.order), let high = UInt256(bigEndian: s),
              let low = order.subtracting(high)
        else { return self }
        return Signature(r: r, s: low.bytes32, yParity: yParity ^ 1)
    }

    /// The public key that made this signature over `digest`.
    /// - Throws: `SignatureError.recoveryFailed` when no key fits (r or s out of range).
    public func recoverPublicKey(digest: [UInt8]) throws(SignatureError) -> PublicKey {
        guard digest.count == 32, r.count == 32, s.count == 32, yParity <= 1 else { throw .recoveryFailed }
        var signature = secp256k1_ecdsa_recoverable_signature()
        let compact = r + s
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(Secp256k1.context, &signature, compact, Int32(yParity)) == 1 else {
            throw .recoveryFailed
        }
        var key = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(Secp256k1.context, &key, &signature, digest) == 1 else { throw .recoveryFailed }
        return PublicKey(key)
    }

    /// The address that made this signature over `digest`.
    public func recoverAddress(digest: [UInt8]) throws(SignatureError) -> Address {
        try recoverPublicKey(digest: digest).address
    }
}

/// Why a key or signature was refused. Never carries key material.
public enum SignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPrivateKey
    case wrongLength(Int)
    case invalidRecoveryID(UInt8)
    case notHex(String)
    case recoveryFailed
    case highS

    public var description: String {
        switch self {
        case .invalidPrivateKey: "not a valid private key: expected 32 bytes (64 hex digits) in the secp256k1 range"
        case .wrongLength(let count): "a signature is 65 bytes (r, s, v) or 64 bytes (EIP-2098), got \(count)"
        case .invalidRecoveryID(let v): "signature v = \(v) is not 0, 1, 27 or 28"
        case .notHex(let text): "signature \"\(Hex.preview(text))\" is not hex"
        case .recoveryFailed: "no public key matches this signature"
        case .highS: "signature s is in the upper half of the curve order (EIP-2 forbids it in transactions)"
        }
    }
}
