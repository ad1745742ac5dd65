/// A 32-byte value: a transaction or block hash, a storage slot, an event topic.
public struct Hash32: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// - Throws: `HexError.lengthMismatch` unless exactly 32 bytes.
    public init(bytes: [UInt8]) throws(HexError) {
        guard bytes.count == 32 else { throw .lengthMismatch(expected: 32, got: bytes.count) }
        self.bytes = bytes
    }

    /// From `0x` and 64 hex digits (either case).
    public init(_ text: String) throws(HexError) {
        self.bytes = try Hex.decode(text, count: 32)
    }

    /// keccak256 of `data`.
    public static func keccak<Bytes: Collection<UInt8>>(_ data: Bytes) -> Hash32 {
        Hash32(unchecked: Keccak256.hash(data))
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Lower-case `0x…`, as JSON-RPC writes hashes.
    public var description: String { Hex.encode(bytes) }
}
