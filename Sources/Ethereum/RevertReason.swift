import BigInt

/// Why a call reverted, decoded from its revert data.
public enum RevertReason: Hashable, Sendable, CustomStringConvertible {
    /// `require(false, "message")` or `revert("message")`: Error(string).
    case message(String)
    /// A compiler-inserted check failed: Panic(uint256).
    case panic(code: BigUInt)
    /// A custom error from the given ABI.
    case custom(name: String, arguments: [ABIValue])
    /// Reverted without data.
    case empty
    /// Data that no known error matches.
    case unknown([UInt8])

    static let errorSelector: [UInt8] = [0x08, 0xc3, 0x79, 0xa0]
    static let panicSelector: [UInt8] = [0x4e, 0x48, 0x7b, 0x71]

    /// Decodes revert data, trying Error(string), Panic(uint256), then `errors`.
    public init(data: [UInt8], errors: [ABISignature] = []) {
        guard !data.isEmpty else { self = .empty; return }
        let selector = Array(data.prefix(4))
        let body = Array(data.dropFirst(4))
        if selector == Self.errorSelector, let values = try? ABI.decode(body, as: [.string]), case .string(let text) = values[0] {
            self = .message(text)
        } else if selector == Self.panicSelector, let values = try? ABI.decode(body, as: [.uint(bits: 256)]), case .uint(let code) = values[0] {
            self = .panic(code: code)
        } else if let error = errors.first(where: { $0.selector == selector }),
                  let values = try? ABI.decode(body, as: error.inputs.map(\.type)) {
            self = .custom(name: error.name, arguments: values)
        } else {
            self = .unknown(data)
        }
    }

    /// What a panic code means, in the words of the Solidity documentation.
    public static func panicMeaning(_ code: BigUInt) -> String {
        switch code {
        case 0x00: "generic compiler panic"
        case 0x01: "assertion failed"
        case 0x11: "arithmetic overflow or underflow"
        case 0x12: "division or modulo by zero"
        case 0x21: "invalid enum value"
        case 0x22: "corrupted storage byte array"
        case 0x31: "pop on an empty array"
        case 0x32: "array index out of bounds"
        case 0x41: "out of memory"
        case 0x51: "call to an uninitialized function"
        default: "unknown panic code"
        }
    }

    public var description: String {
        switch self {
        case .message(let text): text
        case .panic(let code): "panic 0x\(String(code, radix: 16, uppercase: false)): \(Self.panicMeaning(code))"
        case .custom(let name, let arguments): "\(name)(" + arguments.map(\.text).joined(separator: ", ") + ")"
        case .empty: "reverted without a reason"
        case .unknown(let data): "reverted with unrecognised data \(Hex.preview(Hex.encode(data)))"
        }
    }
}
