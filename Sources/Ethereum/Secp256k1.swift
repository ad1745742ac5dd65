import CSecp256k1
import Foundation

/// The process's libsecp256k1 context: created once, randomized, then only read (thread-safe).
enum Secp256k1 {
    nonisolated(unsafe) static let context: OpaquePointer = {
        let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
        var seed = [UInt8](repeating: 0, count: 32)
        for index in seed.indices { seed[index] = UInt8.random(in: .min ... .max) }
        _ = secp256k1_context_randomize(context, seed)
        return context
    }()

    /// secp256k1's group order n, big-endian.
    static let order: [UInt8] = Array(Hex.decodeStatic("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"))
    /// n / 2: an `s` above this is "high" and not accepted in transactions (EIP-2).
    static let halfOrder: [UInt8] = Array(Hex.decodeStatic("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0"))
}

extension Hex {
    /// Decodes a constant known to be valid hex.
    static func decodeStatic(_ text: String) -> [UInt8] {
        do { return try decode(text) } catch { preconditionFailure("bad constant \(text)") }
    }
}
