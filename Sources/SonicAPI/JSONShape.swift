import Foundation
import SonicHTTP

/// One pass over a JSON body's bytes before any decoder sees them: how deeply it nests and, for
/// a top-level object, each member's name and the length of its value as sent. It validates
/// nothing else (the decoder does, afterwards); it only makes sure that what the decoder is
/// given is small and shallow, so that reading a request costs what its size allows and no more.
struct JSONShape {
    struct Member {
        let name: String
        /// Bytes of the value as sent: quotes and escapes of a string included.
        let bytes: Int
    }

    /// The top-level object's members in the order sent (empty when the body is no object).
    var members: [Member] = []
    var isObject = false

    /// Scans `bytes`, refusing nesting deeper than `maxDepth` (the top-level object is depth 1)
    /// with a 400 that names the top-level member it happened in.
    static func scan(_ bytes: [UInt8], maxDepth: Int) throws(Problem) -> JSONShape {
        var shape = JSONShape()
        var depth = 0
        var inString = false, escaped = false
        var stringStart = 0
        var expectingName = false
        var name: String?
        var valueStart: Int?
        for (index, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 1 && expectingName {
                        name = memberName(bytes[stringStart...index])
                        expectingName = false
                    }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                stringStart = index
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 && byte == UInt8(ascii: "{") { shape.isObject = true; expectingName = true }
                depth += 1
                guard depth <= maxDepth else {
                    throw Problem(status: 400, title: "Too deeply nested",
                                  detail: "\(name ?? "the body") nests JSON more than \(maxDepth) levels deep", field: name ?? "body")
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 1, let start = valueStart, let member = name {
                    shape.members.append(Member(name: member, bytes: trimmedLength(bytes, start, index)))
                    (name, valueStart) = (nil, nil)
                }
                depth -= 1
            case UInt8(ascii: ":") where depth == 1:
                valueStart = index + 1
            case UInt8(ascii: ",") where depth == 1:
                if let start = valueStart, let member = name { shape.members.append(Member(name: member, bytes: trimmedLength(bytes, start, index))) }
                (name, valueStart, expectingName) = (nil, nil, shape.isObject)
            default:
                break
            }
        }
        return shape
    }

    /// A member's name from its quoted bytes; escapes (rare in names) read by the decoder.
    private static func memberName(_ quoted: ArraySlice<UInt8>) -> String {
        guard quoted.contains(UInt8(ascii: "\\")) else { return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self) }
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
    }

    /// The length of `bytes[start..<end]` without the white space around it.
    private static func trimmedLength(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        var (low, high) = (start, end)
        let space: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        while low < high, space.contains(bytes[low]) { low += 1 }
        while high > low, space.contains(bytes[high - 1]) { high -= 1 }
        return high - low
    }
}
