import Crypto

/// A content identifier: which codec the block is in and the SHA-256 multihash of its bytes.
/// See https://github.com/multiformats/cid
///
/// Version 0 (`Qm…`) is always dag-pb, written in base58btc without a prefix; version 1 is
/// written in base32 (lower case, multibase prefix `b`), as kubo prints it.
public struct CID: Hashable, Sendable, CustomStringConvertible {
    public enum Codec: UInt8, Sendable {
        case raw = 0x55
        case dagPB = 0x70
    }

    public let version: Int
    public let codec: Codec
    /// The SHA-256 digest (32 bytes).
    public let digest: [UInt8]

    /// The CID of `block`: version 0 needs dag-pb.
    public init(version: Int, codec: Codec, block: [UInt8]) {
        precondition(version == 1 || codec == .dagPB, "CIDv0 is always dag-pb")
        self.version = version
        self.codec = codec
        self.digest = Array(SHA256.hash(data: block))
    }

    init(version: Int, codec: Codec, digest: [UInt8]) {
        self.version = version
        self.codec = codec
        self.digest = digest
    }

    /// sha2-256 (0x12), 32 bytes (0x20), the digest.
    public var multihash: [UInt8] { [0x12, 0x20] + digest }

    /// The binary form, as it appears inside a dag-pb link.
    public var bytes: [UInt8] { version == 0 ? multihash : [0x01, codec.rawValue] + multihash }

    public var description: String { version == 0 ? Base58.encode(multihash) : "b" + Base32.encode(bytes) }

    /// Parses `Qm…` (v0) or `b…` (v1, base32) text.
    public init?(_ text: String) {
        if text.hasPrefix("Qm") {
            guard text.count == 46, let bytes = Base58.decode(text), bytes.count == 34, bytes[0] == 0x12, bytes[1] == 0x20 else { return nil }
            self.init(version: 0, codec: .dagPB, digest: Array(bytes[2...]))
        } else if text.hasPrefix("b") {
            guard let bytes = Base32.decode(String(text.dropFirst())), bytes.count == 36, bytes[0] == 0x01,
                  let codec = Codec(rawValue: bytes[1]), bytes[2] == 0x12, bytes[3] == 0x20 else { return nil }
            self.init(version: 1, codec: codec, digest: Array(bytes[4...]))
        } else {
            return nil
        }
    }

    /// The same content as a version-1 CID.
    public var v1: CID { CID(version: 1, codec: codec, digest: digest) }
}

/// RFC 4648 base32, lower case, without padding (multibase `b`).
public enum Base32 {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for character in text.utf8 {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = ((buffer << 5) | value) & 0xFFFF
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}
