import Foundation
import BigInt

/// A value to encode with, or decoded from, an `ABIType`.
///
/// `bytes` carries both `bytesN` and `bytes`; `array` carries both `T[k]` and `T[]`: the type
/// decides. Encoding checks every value against its type (range, length, count).
public indirect enum ABIValue: Hashable, Sendable {
    case uint(BigUInt)
    case int(BigInt)
    case address(Address)
    case bool(Bool)
    case bytes([UInt8])
    case string(String)
    case array([ABIValue])
    case tuple([ABIValue])
}

/// Encoding and decoding of values by the Solidity ABI's head-and-tail rules.
public enum ABI {
    /// Encodes `values` as the tuple of `types` (function arguments, return data, event data).
    /// - Throws: `ABIError` naming the type a value does not fit.
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        try encodeTuple(values, types)
    }

    /// `selector ‖ encode(values)`: calldata for a function.
    public static func calldata(selector: [UInt8], _ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        selector + (try encode(values, as: types))
    }

    static func encodeTuple(_ values: [ABIValue], _ types: [ABIType]) throws(ABIError) -> [UInt8] {
        guard values.count == types.count else { throw .countMismatch(expected: types.count, got: values.count) }
        let headLength = types.reduce(0) { $0 + $1.headSize }
        var head: [UInt8] = []
        var tail: [UInt8] = []
        head.reserveCapacity(headLength)
        for (value, type) in zip(values, types) {
            let encoded = try encodeOne(value, type)
            if type.isDynamic {
                head += word(UInt64(headLength + tail.count))
                tail += encoded
            } else {
                head += encoded
            }
        }
        return head + tail
    }

    static func encodeOne(_ value: ABIValue, _ type: ABIType) throws(ABIError) -> [UInt8] {
        func mismatch(_ reason: String) -> ABIError { .valueMismatch(type: type.description, reason: reason) }
        switch (type, value) {
        case (.uint(let bits), .uint(let number)):
            guard number.bitWidth <= bits else { throw mismatch("\(number) does not fit in \(bits) bits") }
            return pad(Array(number.serialize()))
        case (.int(let bits), .int(let number)):
            let limit = BigInt(1) << (bits - 1)
            guard number >= -limit && number < limit else { throw mismatch("\(number) does not fit in \(bits) signed bits") }
            return twosComplement(number)
        case (.address, .address(let address)):
            return pad(address.bytes)
        case (.bool, .bool(let flag)):
            return word(flag ? 1 : 0)
        case (.fixedBytes(let count), .bytes(let bytes)):
            guard bytes.count == count else { throw mismatch("expected \(count) bytes, got \(bytes.count)") }
            return bytes + [UInt8](repeating: 0, count: 32 - count)
        case (.bytes, .bytes(let bytes)):
            return word(UInt64(bytes.count)) + padRight(bytes)
        case (.string, .string(let text)):
            let bytes = Array(text.utf8)
            return word(UInt64(bytes.count)) + padRight(bytes)
        case (.array(let element), .array(let items)):
            return word(UInt64(items.count)) + (try encodeTuple(items, Array(repeating: element, count: items.count)))
        case (.fixedArray(let element, let count), .array(let items)):
            guard items.count == count else { throw mismatch("expected \(count) elements, got \(items.count)") }
            return try encodeTuple(items, Array(repeating: element, count: count))
        case (.tuple(let members), .tuple(let items)):
            return try encodeTuple(items, members)
        default:
            throw mismatch("got \(value.kindName)")
        }
    }

    static func word(_ value: UInt64) -> [UInt8] {
        [UInt8](repeating: 0, count: 24) + withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    static func pad(_ bytes: [UInt8]) -> [UInt8] { [UInt8](repeating: 0, count: 32 - bytes.count) + bytes }

    static func padRight(_ bytes: [UInt8]) -> [UInt8] {
        let remainder = bytes.count % 32
        return remainder == 0 ? bytes : bytes + [UInt8](repeating: 0, count: 32 - remainder)
    }

    static func twosComplement(_ number: BigInt) -> [UInt8] {
        if number >= 0 { return pad(Array(number.magnitude.serialize())) }
        let wrapped = (BigUInt(1) << 256) - number.magnitude
        return pad(Array(wrapped.serialize()))
    }
}

extension ABIValue {
    var kindName: String {
        switch self {
        case .uint: "an unsigned integer"
        case .int: "a signed integer"
        case .address: "an address"
        case .bool: "a bool"
        case .bytes: "bytes"
        case .string: "a string"
        case .array: "an array"
        case .tuple: "a tuple"
        }
    }
}
