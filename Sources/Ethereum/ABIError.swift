/// Why ABI text, values or bytes were refused.
public enum ABIError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidType(String)
    case invalidSignature(String)
    case valueMismatch(type: String, reason: String)
    case countMismatch(expected: Int, got: Int)
    case truncated(offset: Int, needed: Int)
    case invalidOffset(offset: Int)
    case nonZeroPadding(offset: Int)
    case outOfRange(type: String, offset: Int)
    case invalidUTF8(offset: Int)
    case tooDeep
    case selectorMismatch(expected: String, got: String)

    public var description: String {
        switch self {
        case .invalidType(let text): "\"\(Hex.preview(text))\" is not an ABI type (e.g. uint256, address, bytes32, string, (uint8,bool)[])"
        case .invalidSignature(let text): "\"\(Hex.preview(text))\" is not a signature (e.g. transfer(address,uint256))"
        case .valueMismatch(let type, let reason): "value for \(type): \(reason)"
        case .countMismatch(let expected, let got): "expected \(expected) values, got \(got)"
        case .truncated(let offset, let needed): "ABI data ends before byte \(offset + needed) (needed \(needed) bytes at \(offset))"
        case .invalidOffset(let offset): "ABI offset at byte \(offset) points outside the data"
        case .nonZeroPadding(let offset): "ABI word at byte \(offset) has non-zero padding"
        case .outOfRange(let type, let offset): "ABI word at byte \(offset) is out of range for \(type)"
        case .invalidUTF8(let offset): "ABI string at byte \(offset) is not valid UTF-8"
        case .tooDeep: "ABI data nested too deeply"
        case .selectorMismatch(let expected, let got): "calldata starts with \(got), not the selector \(expected)"
        }
    }
}
