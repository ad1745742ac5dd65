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

    /// Renders every page and copies every asset; returns what was written.
    /// - Throws: `SiteError` naming the file (and line, for template errors).
    public func build() async throws(SiteError) -> BuildReport {
        let fileManager = FileManager.default
        let templates = configuration.templatesDirectory
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: templates)
        } catch let error as MustacheLibrary.ParserError {
            throw .badTemplate(file: "\(templates)/\(error.filename)", line: error.context.lineNumber,
                               reason: "\(error.error)")
        } catch {
            throw .unreadable(path: templates, reason: "\(error)")
        }
        try createDirectory(configuration.outputDirectory)
        var report = BuildReport()
        let pagesDirectory = "\(templates)/pages"
        let pages: [String]
        do {
            pages = try fileManager.contentsOfDirectory(atPath: pagesDirectory).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw .unreadable(path: pagesDirectory, reason: "no pages folder")
        }
        for page in pages {
            let name = String(page.dropLast(".mustache".count))
            guard let html = library.render(configuration.pageContext(page: name), withTemplate: "pages/\(name)") else {
                throw .badTemplate(file: "\(pagesDirectory)/\(page)", line: nil, reason: "could not be rendered")
            }
            let target = "\(configuration.outputDirectory)/\(name).html"
            try write(Array(html.utf8), to: target)
            report.files.append(.init(path: "\(name).html", bytes: html.utf8.count))
        }
        report.files += try copyAssets()
        return report
    }

    private func copyAssets() throws(SiteError) -> [BuildReport.File] {
        let source = configuration.publicDirectory
        var sourceIsDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &sourceIsDirectory), sourceIsDirectory.boolValue,
              let walker = FileManager.default.enumerator(atPath: source)
        else {
            throw .unreadable(path: source, reason: "no such folder")
        }
        var files: [BuildReport.File] = []
        for case let relative as String in walker {
            var isDirectory: ObjCBool = false
            let path = "\(source)/\(relative)"
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw .unreadable(path: path, reason: "cannot read the file")
            }
            let target = "\(configuration.outputDirectory)/\(relative)"
            try createDirectory((target as NSString).deletingLastPathComponent)
            try write(Array(bytes), to: target)
            files.append(.init(path: relative, bytes: bytes.count))
        }
        return files.sorted { $0.path < $1.path }
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
