import Ethereum

/// Property: a message that parses prints a text that parses to the same message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let message = try? SIWEMessage(parsing: text) else { return 0 }
    guard let again = try? SIWEMessage(parsing: message.text), again == message else {
        fatalError("SIWE message does not survive print and parse")
    }
    return 0
}
