import Ethereum

/// Property: whatever decodes strictly re-encodes to exactly the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let item = try? RLP.decode(bytes), RLP.encode(item) != bytes {
        fatalError("RLP round trip changed the bytes")
    }
    return 0
}
