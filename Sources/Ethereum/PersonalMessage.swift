/// EIP-191 version 0x45 signed messages, as wallets' `personal_sign` makes them.
///
/// The signed digest is keccak256("\u{19}Ethereum Signed Message:\n" + byte length + message).
/// See https://eips.ethereum.org/EIPS/eip-191
public enum PersonalMessage {
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8) + message)
    }

    /// `hash(message)` as a typed hash, as contracts receive it (EIP-1271).
    public static func digest(_ message: [UInt8]) -> Hash32 { Hash32(unchecked: hash(message)) }

    public static func sign(_ message: [UInt8], with key: PrivateKey) -> Signature {
        key.sign(digest: hash(message))
    }

    /// The address that signed `message`.
    public static func recover(_ message: [UInt8], signature: Signature) throws(SignatureError) -> Address {
        try signature.recoverAddress(digest: hash(message))
    }

    /// Whether `signature` over `message` was made by `address`.
    public static func verify(_ message: [UInt8], signature: Signature, address: Address) -> Bool {
        (try? recover(message, signature: signature)) == address
    }
}
