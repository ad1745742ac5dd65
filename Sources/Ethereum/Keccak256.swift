/// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not SHA3-256's (0x06).
///
/// `keccak256("")` is `c5d24601…5d85a470`. Rate 136 bytes, capacity 512 bits. Whole blocks are
/// absorbed straight from the input; the permutation keeps the 25 lanes in locals.
/// See https://keccak.team/keccak_specs_summary.html
public struct Keccak256: Sendable {
    public static let rate = 136
    private var state = [UInt64](repeating: 0, count: 25)
    private var buffer: [UInt8] = []

    public init() {}

    /// The 32-byte digest of `bytes`.
    public static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return digest }
        return Array(bytes).withUnsafeBytes { hash($0) }
    }

    /// The digest of a string's UTF-8 bytes.
    public static func hash(_ text: String) -> [UInt8] { hash(Array(text.utf8)) }

    /// One-shot hashing over contiguous memory: no buffering, no allocation but the digest.
    public static func hash(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 25) { lanes in
            lanes.initialize(repeating: 0)
            var offset = 0
            while input.count - offset >= rate {
                absorb(input, at: offset, into: lanes)
                offset += rate
            }
            return squeeze(lanes, tail: UnsafeRawBufferPointer(rebasing: input[offset...]))
        }
    }

    public mutating func update<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        buffer.append(contentsOf: bytes)
        guard buffer.count >= Self.rate else { return }
        let whole = buffer.count / Self.rate * Self.rate
        buffer.withUnsafeBytes { raw in
            state.withUnsafeMutableBufferPointer { lanes in
                var offset = 0
                while offset < whole {
                    Self.absorb(raw, at: offset, into: lanes)
                    offset += Self.rate
                }
            }
        }
        buffer.removeFirst(whole)
    }

    public mutating func finalize() -> [UInt8] {
        buffer.withUnsafeBytes { tail in
            state.withUnsafeMutableBufferPointer { lanes in Self.squeeze(lanes, tail: tail) }
        }
    }

    @inline(__always)
    private static func absorb(_ input: UnsafeRawBufferPointer, at offset: Int, into lanes: UnsafeMutableBufferPointer<UInt64>) {
        for lane in 0..<(rate / 8) {
            lanes[lane] ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + lane * 8, as: UInt64.self))
        }
        permute(lanes)
    }

    /// Pads the final partial block (fewer than `rate` bytes), absorbs it and returns 32 bytes.
    private static func squeeze(_ lanes: UnsafeMutableBufferPointer<UInt64>, tail: UnsafeRawBufferPointer) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: rate)
        block.withUnsafeMutableBytes { $0.copyMemory(from: tail) }
        block[tail.count] ^= 0x01
        block[rate - 1] ^= 0x80
        block.withUnsafeBytes { absorb($0, at: 0, into: lanes) }
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBytes { out in
            for lane in 0..<4 { out.storeBytes(of: lanes[lane].littleEndian, toByteOffset: lane * 8, as: UInt64.self) }
        }
        return digest
    }

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    /// Keccak-f[1600], 24 rounds of theta, rho and pi (into b), chi and iota (back into a).
    /// Lane i is A[x, y] with i = x + 5y; b is B[y, 2x + 3y] = rot(A[x, y] ^ D[x], r[x, y]).
    private static func permute(_ lanes: UnsafeMutableBufferPointer<UInt64>) {
        var a0 = lanes[0], a1 = lanes[1], a2 = lanes[2], a3 = lanes[3], a4 = lanes[4]
        var a5 = lanes[5], a6 = lanes[6], a7 = lanes[7], a8 = lanes[8], a9 = lanes[9]
        var a10 = lanes[10], a11 = lanes[11], a12 = lanes[12], a13 = lanes[13], a14 = lanes[14]
        var a15 = lanes[15], a16 = lanes[16], a17 = lanes[17], a18 = lanes[18], a19 = lanes[19]
        var a20 = lanes[20], a21 = lanes[21], a22 = lanes[22], a23 = lanes[23], a24 = lanes[24]
        for constant in roundConstants {
            let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20, c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21, c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
            let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23, c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
            let d0 = c4 ^ rotl(c1, 1), d1 = c0 ^ rotl(c2, 1), d2 = c1 ^ rotl(c3, 1), d3 = c2 ^ rotl(c4, 1), d4 = c3 ^ rotl(c0, 1)
            let b0 = a0 ^ d0
            let b1 = rotl(a6 ^ d1, 44)
            let b2 = rotl(a12 ^ d2, 43)
            let b3 = rotl(a18 ^ d3, 21)
            let b4 = rotl(a24 ^ d4, 14)
            let b5 = rotl(a3 ^ d3, 28)
            let b6 = rotl(a9 ^ d4, 20)
            let b7 = rotl(a10 ^ d0, 3)
            let b8 = rotl(a16 ^ d1, 45)
            let b9 = rotl(a22 ^ d2, 61)
            let b10 = rotl(a1 ^ d1, 1)
            let b11 = rotl(a7 ^ d2, 6)
            let b12 = rotl(a13 ^ d3, 25)
            let b13 = rotl(a19 ^ d4, 8)
            let b14 = rotl(a20 ^ d0, 18)
            let b15 = rotl(a4 ^ d4, 27)
            let b16 = rotl(a5 ^ d0, 36)
            let b17 = rotl(a11 ^ d1, 10)
            let b18 = rotl(a17 ^ d2, 15)
            let b19 = rotl(a23 ^ d3, 56)
            let b20 = rotl(a2 ^ d2, 62)
            let b21 = rotl(a8 ^ d3, 55)
            let b22 = rotl(a14 ^ d4, 39)
            let b23 = rotl(a15 ^ d0, 41)
            let b24 = rotl(a21 ^ d1, 2)
            a0 = b0 ^ (~b1 & b2) ^ constant
            a1 = b1 ^ (~b2 & b3)
            a2 = b2 ^ (~b3 & b4)
            a3 = b3 ^ (~b4 & b0)
            a4 = b4 ^ (~b0 & b1)
            a5 = b5 ^ (~b6 & b7)
            a6 = b6 ^ (~b7 & b8)
            a7 = b7 ^ (~b8 & b9)
            a8 = b8 ^ (~b9 & b5)
            a9 = b9 ^ (~b5 & b6)
            a10 = b10 ^ (~b11 & b12)
            a11 = b11 ^ (~b12 & b13)
            a12 = b12 ^ (~b13 & b14)
            a13 = b13 ^ (~b14 & b10)
            a14 = b14 ^ (~b10 & b11)
            a15 = b15 ^ (~b16 & b17)
            a16 = b16 ^ (~b17 & b18)
            a17 = b17 ^ (~b18 & b19)
            a18 = b18 ^ (~b19 & b15)
            a19 = b19 ^ (~b15 & b16)
            a20 = b20 ^ (~b21 & b22)
            a21 = b21 ^ (~b22 & b23)
            a22 = b22 ^ (~b23 & b24)
            a23 = b23 ^ (~b24 & b20)
            a24 = b24 ^ (~b20 & b21)

        }
        lanes[0] = a0; lanes[1] = a1; lanes[2] = a2; lanes[3] = a3; lanes[4] = a4
        lanes[5] = a5; lanes[6] = a6; lanes[7] = a7; lanes[8] = a8; lanes[9] = a9
        lanes[10] = a10; lanes[11] = a11; lanes[12] = a12; lanes[13] = a13; lanes[14] = a14
        lanes[15] = a15; lanes[16] = a16; lanes[17] = a17; lanes[18] = a18; lanes[19] = a19
        lanes[20] = a20; lanes[21] = a21; lanes[22] = a22; lanes[23] = a23; lanes[24] = a24
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { (x << n) | (x >> (64 - n)) }
}
