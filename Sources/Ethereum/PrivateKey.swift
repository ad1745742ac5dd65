import CSecp256k1

/// A secp256k1 private key. Held as a `Secret`: printing it shows `<redacted>`.
public struct PrivateKey: Sendable, CustomStringConvertible {
    public let secret: Secret
    /// The account address, derived once: signing a transaction names its sender without
    /// deriving the public key again.
    public let address: Address

    /// A key from 32 bytes that must lie in 1 ... n-1.
    /// - Throws: `SignatureError.invalidPrivateKey` otherwise.
    public init(bytes: [UInt8]) throws(SignatureError) {
        guard bytes.count == 32, secp256k1_ec_seckey_verify(Secp256k1.context, bytes) == 1 else {
            throw .invalidPrivateKey
        }
        secret = Secret(bytes)
        address = Self.publicKey(of: secret).address
    }

    /// A key from `0x` and 64 hex digits. The error never repeats the text.
    public init(hex text: String) throws(SignatureError) {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(text.hasPrefix("0x") ? text : "0x" + text) } catch { throw .invalidPrivateKey }
        try self.init(bytes: bytes)
    }

    /// A new key from the system's secure random source.
    public static func generate() -> PrivateKey {
        var generator = SystemRandomNumberGenerator()
        while true {
            let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            if let key = try? PrivateKey(bytes: bytes) { return key }
        }
    }

    /// The uncompressed public key.
    public var publicKey: PublicKey { Self.publicKey(of: secret) }

    private static func publicKey(of secret: Secret) -> PublicKey {
        var pubkey = secp256k1_pubkey()
        _ = secret.withUnsafeBytes { raw in
            secp256k1_ec_pubkey_create(Secp256k1.context, &pubkey, raw.bindMemory(to: UInt8.self).baseAddress!)
        }
        return PublicKey(pubkey)
    }

    /// Signs a 32-byte digest: RFC 6979 deterministic nonce, low `s`, with the recovery id.
    public func sign(digest: [UInt8]) -> Signature {
        precondition(digest.count == 32, "sign(digest:) takes a 32-byte hash")
        var signature = secp256k1_ecdsa_recoverable_signature()
        _ = secret.withUnsafeBytes { raw in
            secp256k1_ecdsa_sign_recoverable(Secp256k1.context, &signature, digest, raw.bindMemory(to: UInt8.self).baseAddress!, nil, nil)
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryID: Int32 = 0
        secp256k1_ecdsa_recoverable_signature_serialize_compact(Secp256k1.context, &compact, &recoveryID, &signature)
        return Signature(r: Array(compact[0..<32]), s: Array(compact[32..<64]), yParity: UInt8(recoveryID))
    }

    public var description: String { "PrivateKey(<redacted>)" }
}

/// A secp256k1 public key.
public struct PublicKey: Hashable, Sendable {
    /// 64 bytes: x and y, without the 0x04 prefix.
    public let bytes: [UInt8]

    init(_ key: secp256k1_pubkey) {
        var key = key
        var out = [UInt8](repeating: 0, count: 65)
        var length = 65
        secp256k1_ec_pubkey_serialize(Secp256k1.context, &out, &length, &key, UInt32(SECP256K1_EC_UNCOMPRESSED))
        bytes = Array(out[1...])
    }

    /// The account address: the last 20 bytes of keccak256(x ‖ y).
    public var address: Address {
        // A Keccak digest always has 32 bytes, so the slice is always 20.
        try! Address(bytes: Array(Keccak256.hash(bytes)[12...]))
    }
}
