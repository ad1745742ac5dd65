import Foundation
import Mustache

/// # SiteBuilder
///
/// Renders the dashboard: mustache pages from `Templates/` and assets from `Public/` into a
/// folder of static files that nginx serves. It knows nothing of the chain or the API beyond
/// the few facts it prints into pages (`SiteConfiguration`).
///
/// Templates: `Templates/layout.mustache` is the page frame, `Templates/partials/*.mustache`
/// are partials (`{{> partials/header}}`), and each `Templates/pages/NAME.mustache` becomes
/// `NAME.html`. Pages extend the layout with mustache inheritance (`{{<layout}}…{{/layout}}`).
public struct SiteBuilder: Sendable {
    public let configuration: SiteConfiguration

    public init(configuration: SiteConfiguration) {
        self.configuration = configuration
    }

    /// The most a page may cost on first load: its HTML, styles and scripts, gzipped.
    public static let pageBudget = 60 * 1_024

    /// Renders every page and publishes every asset; returns what was written.
    /// - Throws: `SiteError` naming the file (and line, for template errors), or a page over
    ///   its budget.
    public func build() async throws(SiteError) -> BuildReport {
        let fileManager = FileManager.default
        let templates = configuration.templatesDirectory
        try Self.checkPartials(templates)
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: templates)
        } catch let error as MustacheLibrary.ParserError {
            throw .badTemplate(file: "\(templates)/\(error.filename)", line: error.context.lineNumber,
                               reason: "\(error.error)")
        } catch {
            throw .unreadable(path: templates, reason: "\(error)")
        }
        let assets = try Assets.load(configuration.publicDirectory)
        let output = configuration.outputDirectory
        try createDirectory(output)
        var report = BuildReport()
        let pagesDirectory = "\(templates)/pages"
        let pages: [String]
        do {
            pages = try fileManager.contentsOfDirectory(atPath: pagesDirectory).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw .unreadable(path: pagesDirectory, reason: "no pages folder")
        }
        var written: [String] = []
        for page in pages {
            let name = String(page.dropLast(".mustache".count))
            guard let rendered = library.render(configuration.pageContext(page: name), withTemplate: "pages/\(name)") else {
                throw .badTemplate(file: "\(pagesDirectory)/\(page)", line: nil, reason: "could not be rendered")
            }
            let (html, used) = try Self.link(rendered, assets: assets, page: "\(pagesDirectory)/\(page)")
            let bytes = Array(html.utf8)
            let compressed = try publish(bytes, as: "\(name).html", into: &written)
            report.files.append(.init(path: "\(name).html", bytes: bytes.count, gzipBytes: compressed))
            let firstLoad = compressed + used.reduce(0) { $0 + Gzip.compress($1.bytes).count }
            report.pages.append(.init(name: name, firstLoadGzipBytes: firstLoad, assets: used.map(\.published)))
        }
        for asset in assets.byPath.values.sorted(by: { $0.published < $1.published }) {
            let compressed = try publish(asset.bytes, as: asset.published, into: &written)
            report.files.append(.init(path: asset.published, bytes: asset.bytes.count, gzipBytes: compressed))
        }
        try removeStale(keeping: written)
        if let heavy = report.pages.first(where: { $0.firstLoadGzipBytes > Self.pageBudget }) {
            throw .overBudget(page: heavy.name, bytes: heavy.firstLoadGzipBytes, budget: Self.pageBudget)
        }
        return report
    }

    /// Writes `bytes` at `relative` (and a `.gz` beside it for text); returns the gzip size.
    private func publish(_ bytes: [UInt8], as relative: String, into written: inout [String]) throws(SiteError) -> Int {
        let target = "\(configuration.outputDirectory)/\(relative)"
        try createDirectory((target as NSString).deletingLastPathComponent)
        try write(bytes, to: target)
        written.append(relative)
        let compressed = Gzip.compress(bytes)
        if Gzip.compressible.contains((relative as NSString).pathExtension) {
            try write(compressed, to: target + ".gz")
            written.append(relative + ".gz")
        }
        return compressed.count
    }

    /// Files an earlier build wrote that this one did not (old hashed names) are removed; the
    /// list lives in `.sonic-site-files`, so nothing else in the folder is ever touched.
    private func removeStale(keeping written: [String]) throws(SiteError) {
        let manifest = "\(configuration.outputDirectory)/.sonic-site-files"
        let previous = (try? String(contentsOfFile: manifest, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        let keep = Set(written)
        for stale in previous where !keep.contains(stale) && !stale.contains("..") {
            try? FileManager.default.removeItem(atPath: "\(configuration.outputDirectory)/\(stale)")
        }
        try write(Array(written.sorted().joined(separator: "\n").utf8), to: manifest)
    }

    /// Points a page's script and stylesheet references at the published names, with their
    /// integrity, and preloads the modules its scripts import; returns the page and the assets
    /// it loads. A reference to an asset that does not exist is an error naming the page.
    static func link(_ html: String, assets: Assets, page: String) throws(SiteError) -> (String, [Assets.Asset]) {
        var text = html
        var used: [Assets.Asset] = []
        let pattern = try! NSRegularExpression(
            pattern: #"<link rel="stylesheet" href="/([^"]+\.css)">|<script type="module" src="/([^"]+\.js)"></script>"#)
        var preloaded: Set<String> = []
        var replacements: [(NSRange, String)] = []
        for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let isStyle = match.range(at: 1).location != NSNotFound
            let path = String(html[Range(match.range(at: isStyle ? 1 : 2), in: html)!])
            guard let asset = assets.byPath[path] else {
                let line = html[..<Range(match.range, in: html)!.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
                throw .badTemplate(file: page, line: nil, reason: "line \(line) of the rendered page refers to /\(path), which is not in Public/")
            }
            let replacement: String
            if isStyle {
                replacement = #"<link rel="stylesheet" href="/\#(asset.published)" integrity="\#(asset.integrity)">"#
                used.append(asset)
            } else {
                let modules = assets.closure(of: path)
                let preloads = modules.dropFirst().filter { preloaded.insert($0.source).inserted }.map { #"<link rel="modulepreload" href="/\#($0.published)" integrity="\#($0.integrity)">"# }
                replacement = (preloads + [#"<script type="module" src="/\#(asset.published)" integrity="\#(asset.integrity)"></script>"#])
                    .joined(separator: "\n")
                used += modules
            }
            replacements.append((match.range, replacement))
        }
        for (range, replacement) in replacements.reversed() {
            text.replaceSubrange(Range(range, in: text)!, with: replacement)
        }
        var seen: Set<String> = []
        return (text, used.filter { seen.insert($0.source).inserted })
    }

    /// Every `{{> name}}` and `{{< name}}` must name an existing template: the renderer would
    /// otherwise leave the place empty without a word.
    static func checkPartials(_ templates: String) throws(SiteError) {
        guard let walker = FileManager.default.enumerator(atPath: templates) else {
            throw .unreadable(path: templates, reason: "no such folder")
        }
        let pattern = try! NSRegularExpression(pattern: #"\{\{\s*[><]\s*([A-Za-z0-9_/.-]+)\s*\}\}"#)
        for case let relative as String in walker where relative.hasSuffix(".mustache") {
            let path = "\(templates)/\(relative)"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .unreadable(path: path, reason: "not UTF-8 text") }
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let name = String(text[Range(match.range(at: 1), in: text)!])
                guard !FileManager.default.fileExists(atPath: "\(templates)/\(name).mustache") else { continue }
                let line = text[..<Range(match.range, in: text)!.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
                throw .badTemplate(file: path, line: line, reason: "uses the template \"\(name)\", but \(templates)/\(name).mustache does not exist")
            }
        }
    }

    private func createDirectory(_ path: String) throws(SiteError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: path, reason: "\(error.localizedDescription)")
        }
    }

    /// Writes atomically, so nginx never serves half a file.
    private func write(_ bytes: [UInt8], to path: String) throws(SiteError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }
}
