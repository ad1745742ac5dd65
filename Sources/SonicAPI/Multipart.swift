import Foundation
import SonicHTTP

/// A `multipart/form-data` body (RFC 7578), read strictly: the boundary from the content type,
/// each part's `Content-Disposition` name (and file name), at most `maxParts` parts, and a
/// closing boundary; each refusal says what is wrong.
struct Multipart {
    struct Part {
        let name: String
        let filename: String?
        let contentType: String?
        /// The part's bytes, a view into the request body (an image is never copied out of it).
        let data: ArraySlice<UInt8>
    }

    let parts: [Part]

    subscript(name: String) -> Part? { parts.first { $0.name == name } }

    /// The most bytes of one part's headers (its name, file name and type).
    static let maxHeaderBytes = 1_024

    static func parse(_ request: Request, maxParts: Int = 8) throws(Problem) -> Multipart {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = boundary(contentType) else {
            throw Problem(status: 415, title: "Unsupported media type",
                          detail: "send the upload as multipart/form-data with a boundary, not \(contentType.isEmpty ? "no content type" : contentType)")
        }
        let body = request.body
        let delimiter = Array("--\(boundary)".utf8)
        guard var cursor = find(delimiter, in: body, from: 0) else { throw malformed("the body does not contain the boundary") }
        var parts: [Part] = []
        while true {
            cursor += delimiter.count
            if body[cursor...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { break }
            guard body[cursor...].starts(with: [13, 10]) else { throw malformed("a boundary is not followed by a line break") }
            cursor += 2
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: cursor) else { throw malformed("a part has no end of headers") }
            guard headerEnd - cursor <= maxHeaderBytes else { throw malformed("a part's headers are longer than \(maxHeaderBytes) bytes") }
            let headers = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
            let start = headerEnd + 4
            guard let next = find([13, 10] + delimiter, in: body, from: start) else {
                throw malformed("the body ends before its closing boundary (truncated upload?)")
            }
            parts.append(try part(headers: headers, data: body[start..<next]))
            guard parts.count <= maxParts else { throw malformed("more than \(maxParts) parts") }
            cursor = next + 2
        }
        return Multipart(parts: parts)
    }

    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    static func part(headers: String, data: ArraySlice<UInt8>) throws(Problem) -> Part {
        var name: String?, filename: String?, type: String?
        for line in headers.components(separatedBy: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            switch pair[0].lowercased() {
            case "content-disposition":
                for parameter in pair[1].split(separator: ";").dropFirst() {
                    let item = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard item.count == 2 else { continue }
                    let value = item[1].hasPrefix("\"") && item[1].hasSuffix("\"") && item[1].count >= 2 ? String(item[1].dropFirst().dropLast()) : item[1]
                    if item[0].lowercased() == "name" { name = value }
                    if item[0].lowercased() == "filename" { filename = value }
                }
            case "content-type": type = pair[1]
            default: break
            }
        }
        guard let name, !name.isEmpty else { throw malformed("a part has no name in its Content-Disposition") }
        return Part(name: name, filename: filename, contentType: type, data: data)
    }

    /// Where `needle` first occurs in `haystack` at or after `start`: memchr finds each
    /// candidate first byte (a 10 MB image is scanned in about a millisecond).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { bytes -> Int? in
            var index = start
            while index <= last {
                guard let found = memchr(bytes.baseAddress! + index, Int32(needle[0]), last - index + 1) else { return nil }
                index = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if memcmp(bytes.baseAddress! + index, needle, needle.count) == 0 { return index }
                index += 1
            }
            return nil
        }
    }

    static func malformed(_ detail: String) -> Problem {
        Problem(status: 400, title: "Malformed upload", detail: "the multipart body is malformed: \(detail)")
    }
}
