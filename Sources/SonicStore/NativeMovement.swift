import Ethereum

/// One movement of S in an address's indexed history (`Store.nativeMovements`), to walk a
/// balance back from a known one.
public struct NativeMovement: Sendable, Equatable {
    /// Unix seconds of the block.
    public let time: UInt64
    /// What the address gained (`incoming`) or lost (`outgoing`, and any fee it paid), in wei.
    public let received: UInt256
    public let spent: UInt256
}
