import Foundation
import Testing
@testable import SiteBuilder

@Suite struct SiteBuilderTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString)").path

    func write(_ files: [String: String]) throws {
        for (path, text) in files {
            let full = "\(root)/\(path)"
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    func configuration() -> SiteConfiguration {
        SiteConfiguration(templatesDirectory: "\(root)/Templates", publicDirectory: "\(root)/Public", outputDirectory: "\(root)/dist",
                          networkName: "testnet", networkDisplayName: "Sonic testnet", chainID: 14601, version: "1.2.3")
    }

    @Test func rendersPagesThroughTheLayoutAndCopiesAssets() async throws {
        try write([
            "Templates/layout.mustache": "<title>{{$title}}x{{/title}}</title>{{> partials/nav}}<main>{{$content}}{{/content}}</main>",
            "Templates/partials/nav.mustache": "<nav>{{network.displayName}} {{network.chainId}}</nav>",
            "Templates/pages/index.mustache": "{{<layout}}{{$title}}Home{{/title}}{{$content}}v{{version}} {{#pageIsIndex}}here{{/pageIsIndex}}{{/content}}{{/layout}}",
            "Public/css/site.css": "body{}",
        ])
        let report = try await SiteBuilder(configuration: configuration()).build()
        let html = try String(contentsOfFile: "\(root)/dist/index.html", encoding: .utf8)
        #expect(html == "<title>Home</title><nav>Sonic testnet 14601</nav><main>v1.2.3 here</main>")
        #expect(try String(contentsOfFile: "\(root)/dist/css/site.css", encoding: .utf8) == "body{}")
        #expect(report.files.map(\.path) == ["index.html", "css/site.css"])
    }

    @Test func badTemplateNamesFileAndLine() async throws {
        try write([
            "Templates/pages/index.mustache": "line one\n{{#open}}never closed\n",
            "Public/.keep": "",
        ])
        await #expect {
            _ = try await SiteBuilder(configuration: configuration()).build()
        } throws: { error in
            guard case SiteError.badTemplate(let file, let line, _) = error else { return false }
            return file.hasSuffix("pages/index.mustache") && line != nil
        }
    }

    @Test func missingPublicFolderIsNamed() async throws {
        try write(["Templates/pages/index.mustache": "hi"])
        await #expect {
            _ = try await SiteBuilder(configuration: configuration()).build()
        } throws: { error in
            "\(error)".contains("\(root)/Public")
        }
    }
}
