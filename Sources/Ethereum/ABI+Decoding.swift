import Foundation
import BigInt

extension ABI {
    /// Decodes `data` as the tuple of `types`. Strict: padding must be zero, values in range,
    /// offsets inside the data, strings valid UTF-8.
    /// - Throws: `ABIError` with the byte offset of the problem.
    public static func decode(_ data: [UInt8], as types: [ABIType]) throws(ABIError) -> [ABIValue] {
        var reader = ABIReader(data: data)
        return try reader.decodeTuple(types, base: 0, depth: 0)
    }
}

/// Reads ABI-encoded bytes. Offsets in errors count from the start of `data`.
struct ABIReader {
    let data: [UInt8]
    static let maxDepth = 64

    func word(at offset: Int) throws(ABIError) -> ArraySlice<UInt8> {
        guard offset >= 0, offset <= data.count - 32 else { throw .truncated(offset: offset, needed: 32) }
        return data[offset..<(offset + 32)]
    }

    /// A word that must hold a small non-negative integer (a length or an offset).
    func size(at offset: Int) throws(ABIError) -> Int {
        let bytes = try word(at: offset)
        guard bytes.prefix(24).allSatisfy({ $0 == 0 }) else { throw .invalidOffset(offset: offset) }
        let value = bytes.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard value <= UInt64(data.count) else { throw .invalidOffset(offset: offset) }
        return Int(value)
    }

    mutating func decodeTuple(_ types: [ABIType], base: Int, depth: Int) throws(ABIError) -> [ABIValue] {
        guard depth < Self.maxDepth else { throw .tooDeep }
        var values: [ABIValue] = []
        values.reserveCapacity(types.count)
        var headOffset = base
        for type in types {
            if type.isDynamic {
                let target = base + (try size(at: headOffset))
                guard target <= data.count else { throw .invalidOffset(offset: headOffset) }
                values.append(try decodeOne(type, at: target, depth: depth))
            } else {
                values.append(try decodeOne(type, at: headOffset, depth: depth))
            }
            headOffset += type.headSize
        }
        return values
    }

    mutating func decodeOne(_ type: ABIType, at offset: Int, depth: Int) throws(ABIError) -> ABIValue {
        switch type {
        case .uint(let bits):
            let bytes = try word(at: offset)
            let number = BigUInt(Data(bytes))
            guard number.bitWidth <= bits else { throw .outOfRange(type: type.description, offset: offset) }
            return .uint(number)
        case .int(let bits):
            let bytes = try word(at: offset)
            let unsigned = BigUInt(Data(bytes))
            let number = bytes.first! & 0x80 != 0 ? BigInt(unsigned) - (BigInt(1) << 256) : BigInt(unsigned)
            let limit = BigInt(1) << (bits - 1)
            guard number >= -limit && number < limit else { throw .outOfRange(type: type.description, offset: offset) }
            return .int(number)
        case .address:
            let bytes = try word(at: offset)
            guard bytes.prefix(12).allSatisfy({ $0 == 0 }) else { throw .nonZeroPadding(offset: offset) }
            return .address(try! Address(bytes: Array(bytes.suffix(20))))
        case .bool:
            let bytes = try word(at: offset)
            guard bytes.prefix(31).allSatisfy({ $0 == 0 }), bytes.last! <= 1 else { throw .outOfRange(type: "bool", offset: offset) }
            return .bool(bytes.last! == 1)
        case .fixedBytes(let count):
            let bytes = try word(at: offset)
            guard bytes.dropFirst(count).allSatisfy({ $0 == 0 }) else { throw .nonZeroPadding(offset: offset) }
            return .bytes(Array(bytes.prefix(count)))
        case .bytes, .string:
            let length = try size(at: offset)
            let start = offset + 32
            let padded = (length + 31) / 32 * 32
            guard start <= data.count, padded <= data.count - start else { throw .truncated(offset: start, needed: padded) }
            guard data[(start + length)..<(start + padded)].allSatisfy({ $0 == 0 }) else { throw .nonZeroPadding(offset: start) }
            let bytes = Array(data[start..<(start + length)])
            if case .bytes = type { return .bytes(bytes) }
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(offset: start) }
            return .string(text)
        case .array(let element):
            let count = try size(at: offset)
            // Each element takes at least one word: a count larger than the data is a lie.
            guard count <= (data.count - offset - 32) / 32 + 1 else { throw .invalidOffset(offset: offset) }
            return .array(try decodeTuple(Array(repeating: element, count: count), base: offset + 32, depth: depth + 1))
        case .fixedArray(let element, let count):
            return .array(try decodeTuple(Array(repeating: element, count: count), base: offset, depth: depth + 1))
        case .tuple(let members):
            return .tuple(try decodeTuple(members, base: offset, depth: depth + 1))
        }
    }
}
