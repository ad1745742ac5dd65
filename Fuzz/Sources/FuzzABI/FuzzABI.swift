import Ethereum

/// The first byte picks a type list; the rest is decoded with it. Property: decoding never
/// crashes, and what decodes re-encodes into bytes that decode to the same values.
let typeLists: [[ABIType]] = [
    "(uint256)", "(bool,address)", "(bytes)", "(string)", "(uint8[])", "((uint256,string))", "(bytes32[2])", "(string[])",
    "((bytes,uint16[])[])", "(int64,bytes7)", "(((string,bool)[2],address))", "(uint256[][])",
].map { text in
    guard case .tuple(let members) = try! ABIType(parsing: text) else { fatalError("not a tuple: \(text)") }
    return members
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let types = typeLists[Int(data[0]) % typeLists.count]
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    guard let values = try? ABI.decode(body, as: types) else { return 0 }
    guard let encoded = try? ABI.encode(values, as: types), let again = try? ABI.decode(encoded, as: types), again == values else {
        fatalError("ABI values decoded from input do not survive a round trip")
    }
    return 0
}
