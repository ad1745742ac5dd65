import CZlib
import Crypto
import Foundation

/// The assets of `Public/`, ready to publish: scripts and styles under content-hashed names
/// (`js/chat.3f9a0c1b2d.js`), with the imports between modules rewritten to those names, and a
/// Subresource Integrity hash for each. Other files keep their names.
struct Assets {
    struct Asset {
        /// Path under `Public/`, e.g. `js/chat.js`.
        let source: String
        /// Path in the output, e.g. `js/chat.3f9a0c1b2d.js`.
        let published: String
        let bytes: [UInt8]
        /// `sha384-…` for the `integrity` attribute.
        let integrity: String
        /// Other modules this one imports (their source paths).
        let imports: [String]
    }

    /// By source path.
    var byPath: [String: Asset] = [:]

    static let fingerprinted: Set<String> = ["js", "css"]

    /// Reads `directory` and fingerprints its scripts and styles.
    static func load(_ directory: String) throws(SiteError) -> Assets {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let walker = FileManager.default.enumerator(atPath: directory) else {
            throw .unreadable(path: directory, reason: "no such folder")
        }
        var sources: [String: [UInt8]] = [:]
        for case let relative as String in walker {
            let path = "\(directory)/\(relative)"
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &folder), !folder.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "cannot read the file") }
            sources[relative] = Array(data)
        }
        var assets = Assets()
        var visiting: [String] = []
        for path in sources.keys.sorted() {
            try assets.publish(path, sources: sources, directory: directory, visiting: &visiting)
        }
        return assets
    }

    /// Publishes `path` after the modules it imports, whose hashed names its text must carry.
    private mutating func publish(_ path: String, sources: [String: [UInt8]], directory: String, visiting: inout [String]) throws(SiteError) {
        guard byPath[path] == nil, let original = sources[path] else { return }
        let fileExtension = (path as NSString).pathExtension
        guard Self.fingerprinted.contains(fileExtension) else {
            byPath[path] = Asset(source: path, published: path, bytes: original, integrity: Self.integrity(original), imports: [])
            return
        }
        guard !visiting.contains(path) else {
            throw .unreadable(path: "\(directory)/\(path)", reason: "modules import each other in a cycle: \((visiting + [path]).joined(separator: " → "))")
        }
        visiting.append(path)
        defer { visiting.removeLast() }
        var text = String(decoding: original, as: UTF8.self)
        var imports: [String] = []
        if fileExtension == "js" {
            // `from "./x.js"` and `import "./x.js"`: relative specifiers only (no bundler, no packages).
            let pattern = try! NSRegularExpression(pattern: #"(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\./[A-Za-z0-9_./-]+\.js)\2"#)
            let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed()
            for match in matches {
                let specifier = String(text[Range(match.range(at: 3), in: text)!])
                let target = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(String(specifier.dropFirst(2)))
                guard sources[target] != nil else {
                    let line = text[..<Range(match.range, in: text)!.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
                    throw .badTemplate(file: "\(directory)/\(path)", line: line, reason: "imports \(specifier), which is not in \(directory)/")
                }
                try publish(target, sources: sources, directory: directory, visiting: &visiting)
                let hashed = "./" + (byPath[target]!.published as NSString).lastPathComponent
                text.replaceSubrange(Range(match.range(at: 3), in: text)!, with: hashed)
                imports.append(target)
            }
        }
        let bytes = Array(text.utf8)
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined().prefix(10)
        let published = String(path.dropLast(fileExtension.count + 1)) + ".\(hash).\(fileExtension)"
        byPath[path] = Asset(source: path, published: published, bytes: bytes, integrity: Self.integrity(bytes), imports: imports.reversed())
    }

    /// Every module `path` needs, itself first, each once.
    func closure(of path: String) -> [Asset] {
        var seen: [String] = []
        func visit(_ path: String) {
            guard !seen.contains(path), let asset = byPath[path] else { return }
            seen.append(path)
            asset.imports.forEach(visit)
        }
        visit(path)
        return seen.compactMap { byPath[$0] }
    }

    static func integrity(_ bytes: [UInt8]) -> String { "sha384-" + Data(SHA384.hash(data: bytes)).base64EncodedString() }
}

/// gzip at the best compression, for nginx's `gzip_static` and for the size budget.
enum Gzip {
    static let compressible: Set<String> = ["html", "css", "js", "json", "svg", "txt", "xml", "webmanifest"]

    static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        guard sonic_deflate_init_gzip(&stream, 9) == Z_OK else { return input }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var input = input
        let produced: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { return -1 }
                return target.count - Int(stream.avail_out)
            }
        }
        return produced < 0 ? input : Array(output[..<produced])
    }
}
