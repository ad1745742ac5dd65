import Ethereum

/// Property: a raw transaction that decodes (and whose sender recovers) serializes back to the
/// same bytes, and its signature verifies against the recovered sender.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let signed = try? SignedTransaction.decode(bytes) else { return 0 }
    guard signed.raw == bytes, let hash = try? signed.transaction.signingHash(),
          (try? signed.signature.recoverAddress(digest: hash)) == signed.sender
    else { fatalError("decoded transaction is inconsistent") }
    return 0
}
