import Crypto
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

    @Test func rendersPagesThroughTheLayoutAndPublishesAssets() async throws {
        try write([
            "Templates/layout.mustache": "<title>{{$title}}x{{/title}}</title>{{> partials/nav}}<main>{{$content}}{{/content}}</main>",
            "Templates/partials/nav.mustache": "<nav>{{network.displayName}} {{network.chainId}}</nav>",
            "Templates/pages/index.mustache": "{{<layout}}{{$title}}Home{{/title}}{{$content}}v{{version}} {{#pageIsIndex}}here{{/pageIsIndex}}{{/content}}{{/layout}}",
            "Public/img/logo.png": "png",
        ])
        let report = try await SiteBuilder(configuration: configuration()).build()
        let html = try String(contentsOfFile: "\(root)/dist/index.html", encoding: .utf8)
        #expect(html == "<title>Home</title><nav>Sonic testnet 14601</nav><main>v1.2.3 here</main>")
        #expect(try String(contentsOfFile: "\(root)/dist/img/logo.png", encoding: .utf8) == "png")
        #expect(report.files.map(\.path) == ["index.html", "img/logo.png"])
        #expect(FileManager.default.fileExists(atPath: "\(root)/dist/index.html.gz"))
    }

    @Test func scriptsAndStylesGetHashedNamesIntegrityAndRewrittenImports() async throws {
        try write([
            "Templates/pages/index.mustache": #"<link rel="stylesheet" href="/css/site.css"><script type="module" src="/js/main.js"></script>"#,
            "Public/css/site.css": "body{color:red}",
            "Public/js/main.js": #"import { f } from "./lib.js";\nf();\n"#,
            "Public/js/lib.js": "export function f() {}\n",
        ])
        let report = try await SiteBuilder(configuration: configuration()).build()
        let files = Dictionary(uniqueKeysWithValues: report.files.map { ($0.path, $0) })
        let lib = try #require(files.keys.first { $0.hasPrefix("js/lib.") && $0.hasSuffix(".js") })
        let main = try #require(files.keys.first { $0.hasPrefix("js/main.") && $0.hasSuffix(".js") })
        let css = try #require(files.keys.first { $0.hasPrefix("css/site.") })
        let mainText = try String(contentsOfFile: "\(root)/dist/\(main)", encoding: .utf8)
        #expect(mainText.contains("from \"./\((lib as NSString).lastPathComponent)\""))
        let html = try String(contentsOfFile: "\(root)/dist/index.html", encoding: .utf8)
        let integrity = "sha384-" + Data(SHA384.hash(data: Data(mainText.utf8))).base64EncodedString()
        #expect(html.contains(#"<script type="module" src="/\#(main)" integrity="\#(integrity)"></script>"#))
        #expect(html.contains(#"<link rel="modulepreload" href="/\#(lib)""#))
        #expect(html.contains(#"<link rel="stylesheet" href="/\#(css)" integrity="sha384-"#))
        // gzip beside each text file, and the page's first load counted.
        let gz = try Data(contentsOf: URL(fileURLWithPath: "\(root)/dist/\(main).gz"))
        #expect(gz.prefix(2) == Data([0x1f, 0x8b]))
        #expect(report.pages.map(\.name) == ["index"] && report.pages[0].assets.count == 3)
        // A change to the library changes both names (the importer carries the new name).
        try write(["Public/js/lib.js": "export function f() { return 1 }\n"])
        let again = try await SiteBuilder(configuration: configuration()).build()
        #expect(!again.files.contains { $0.path == main || $0.path == lib })
        #expect(!FileManager.default.fileExists(atPath: "\(root)/dist/\(main)"))  // the stale name is gone
    }

    @Test func aPageOverItsBudgetFailsTheBuild() async throws {
        var random = SystemRandomNumberGenerator()
        let noise = (0..<80_000).map { _ in String(UInt8.random(in: 33...126, using: &random), radix: 16) }.joined()
        try write([
            "Templates/pages/index.mustache": #"<script type="module" src="/js/big.js"></script>"#,
            "Public/js/big.js": "const noise = \"\(noise)\";\n",
        ])
        await #expect {
            _ = try await SiteBuilder(configuration: configuration()).build()
        } throws: { error in
            guard case SiteError.overBudget(let page, let bytes, _) = error else { return false }
            return page == "index" && bytes > SiteBuilder.pageBudget
        }
    }

    @Test func missingPartialAndMissingAssetAreNamed() async throws {
        try write([
            "Templates/pages/index.mustache": "one\ntwo {{> partials/nope}}\n",
            "Public/.keep": "",
        ])
        await #expect {
            _ = try await SiteBuilder(configuration: configuration()).build()
        } throws: { error in
            "\(error)" == "\(root)/Templates/pages/index.mustache:2: uses the template \"partials/nope\", but \(root)/Templates/partials/nope.mustache does not exist"
        }
        try write(["Templates/pages/index.mustache": #"<script type="module" src="/js/gone.js"></script>"#])
        await #expect {
            _ = try await SiteBuilder(configuration: configuration()).build()
        } throws: { error in
            "\(error)".contains("refers to /js/gone.js, which is not in Public/")
        }
        try write(["Templates/pages/index.mustache": "x", "Public/js/a.js": #"import "./missing.js";"#])
        await #expect {
            _ = try await SiteBuilder(configuration: configuration()).build()
        } throws: { error in
            "\(error)" == "\(root)/Public/js/a.js:1: imports ./missing.js, which is not in \(root)/Public/"
        }
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
