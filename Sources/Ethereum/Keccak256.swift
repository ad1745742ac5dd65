/// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not SHA3-256's (0x06).
///
/// `keccak256("")` is `c5d24601…5d85a470`. Rate 136 bytes, capacity 512 bits.
/// See https://keccak.team/keccak_specs_summary.html
public struct Keccak256: Sendable {
    public static let rate = 136
    private var state = [UInt64](repeating: 0, count: 25)
    private var buffer = [UInt8]()

    public init() { buffer.reserveCapacity(Self.rate) }

    /// The 32-byte digest of `bytes`.
    public static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var hasher = Keccak256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of a string's UTF-8 bytes.
    public static func hash(_ text: String) -> [UInt8] { hash(Array(text.utf8)) }

    public mutating func update<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            buffer.append(byte)
            if buffer.count == Self.rate {
                absorbBuffer()
            }
        }
    }

    public mutating func finalize() -> [UInt8] {
        buffer.append(0x01)
        while buffer.count < Self.rate { buffer.append(0) }
        buffer[Self.rate - 1] |= 0x80
        absorbBuffer()
        var out = [UInt8]()
        out.reserveCapacity(32)
        for lane in state[0..<4] {
            withUnsafeBytes(of: lane.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    private mutating func absorbBuffer() {
        buffer.withUnsafeBytes { raw in
            for lane in 0..<(Self.rate / 8) {
                state[lane] ^= UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: lane * 8, as: UInt64.self))
            }
        }
        buffer.removeAll(keepingCapacity: true)
        state.withUnsafeMutableBufferPointer { Self.permute($0) }
    }

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]
    // Rotation offsets and lane positions of the combined rho and pi steps.
    private static let rotations: [UInt64] = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44]
    private static let piLanes = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1]

    /// Keccak-f[1600], 24 rounds.
    @inline(__always)
    private static func permute(_ a: UnsafeMutableBufferPointer<UInt64>) {
        var c = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for round in 0..<24 {
            // theta
            c.0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20]
            c.1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21]
            c.2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22]
            c.3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23]
            c.4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24]
            let d0 = c.4 ^ rotl(c.1, 1), d1 = c.0 ^ rotl(c.2, 1), d2 = c.1 ^ rotl(c.3, 1)
            let d3 = c.2 ^ rotl(c.4, 1), d4 = c.3 ^ rotl(c.0, 1)
            for row in stride(from: 0, to: 25, by: 5) {
                a[row] ^= d0; a[row + 1] ^= d1; a[row + 2] ^= d2; a[row + 3] ^= d3; a[row + 4] ^= d4
            }
            // rho and pi
            var current = a[1]
            for i in 0..<24 {
                let lane = piLanes[i]
                let next = a[lane]
                a[lane] = rotl(current, rotations[i])
                current = next
            }
            // chi
            for row in stride(from: 0, to: 25, by: 5) {
                let t0 = a[row], t1 = a[row + 1], t2 = a[row + 2], t3 = a[row + 3], t4 = a[row + 4]
                a[row] = t0 ^ (~t1 & t2)
                a[row + 1] = t1 ^ (~t2 & t3)
                a[row + 2] = t2 ^ (~t3 & t4)
                a[row + 3] = t3 ^ (~t4 & t0)
                a[row + 4] = t4 ^ (~t0 & t1)
            }
            // iota
            a[0] ^= roundConstants[round]
        }
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { (x << n) | (x >> (64 - n)) }
}
