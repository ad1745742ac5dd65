/// How values cross libpq: parameters as text (bytea as binary, so no escaping), results in text
/// format, read by the column's type.
extension PostgresValue {
    /// PostgreSQL type ids (`pg_type.oid`) this client names or reads.
    enum TypeID {
        static let bool: UInt32 = 16, bytea: UInt32 = 17, int8: UInt32 = 20, int2: UInt32 = 21, int4: UInt32 = 23
        static let oid: UInt32 = 26, float4: UInt32 = 700, float8: UInt32 = 701, numeric: UInt32 = 1700
    }

    /// A parameter as libpq takes it: its type (0 lets the server infer it from the statement),
    /// its bytes (nil for NULL) and whether they are binary.
    struct Parameter {
        let type: UInt32
        let bytes: [UInt8]?
        let binary: Bool
    }

    /// - Throws: `.badInput` for a `.numeric` that is not a decimal number, or text holding a NUL,
    ///   which PostgreSQL cannot store; `index` names the parameter (`$1`…).
    func parameter(index: Int) throws(PostgresError) -> Parameter {
        switch self {
        case .null: return Parameter(type: 0, bytes: nil, binary: false)
        case .int(let value): return Parameter(type: TypeID.int8, bytes: Array(String(value).utf8), binary: false)
        case .bool(let value): return Parameter(type: TypeID.bool, bytes: Array((value ? "t" : "f").utf8), binary: false)
        case .text(let value):
            guard !value.utf8.contains(0) else { throw PostgresError(.badInput, "parameter $\(index) holds a NUL character, which text cannot") }
            return Parameter(type: 0, bytes: Array(value.utf8), binary: false)
        case .bytes(let value): return Parameter(type: TypeID.bytea, bytes: value, binary: true)
        case .numeric(let value):
            guard Self.isDecimal(value) else {
                throw PostgresError(.badInput, "parameter $\(index) \"\(value.prefix(40))\" is not a decimal number (digits, an optional sign and fraction)")
            }
            return Parameter(type: TypeID.numeric, bytes: Array(value.utf8), binary: false)
        case .double(let value):
            guard value.isFinite else { throw PostgresError(.badInput, "parameter $\(index) is not a finite number") }
            return Parameter(type: TypeID.float8, bytes: Array("\(value)".utf8), binary: false)
        }
    }

    /// The value of a result field in text format, read by its column's type.
    /// - Throws: `.unexpectedResult` for text its type cannot hold (never expected from the server).
    static func decode(_ text: UnsafeBufferPointer<UInt8>, type: UInt32) throws(PostgresError) -> PostgresValue {
        let string = String(decoding: text, as: UTF8.self)
        switch type {
        case TypeID.int8, TypeID.int4, TypeID.int2, TypeID.oid:
            guard let value = Int64(string) else { throw PostgresError(.unexpectedResult, "integer field \"\(string.prefix(40))\"") }
            return .int(value)
        case TypeID.bool: return .bool(string == "t")
        case TypeID.numeric: return .numeric(string)
        case TypeID.float4, TypeID.float8:
            guard let value = Double(string) else { throw PostgresError(.unexpectedResult, "float field \"\(string.prefix(40))\"") }
            return .double(value)
        case TypeID.bytea: return .bytes(try decodeHex(text))
        default: return .text(string)
        }
    }

    /// bytea's text form, `\x` and two hex digits a byte (the server's default `bytea_output`).
    private static func decodeHex(_ text: UnsafeBufferPointer<UInt8>) throws(PostgresError) -> [UInt8] {
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"), text.count % 2 == 0 else {
            throw PostgresError(.unexpectedResult, "bytea field not in hex form (bytea_output must be hex)")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((text.count - 2) / 2)
        var index = 2
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else {
                throw PostgresError(.unexpectedResult, "bytea field has a character that is not hex")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
