import ArgumentParser
import Foundation
import SiteBuilder
import SonicConfig

@main
struct SonicSite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sonic-site",
        abstract: "Builds Smart Sonic's dashboard: Templates/ and Public/ into static files.",
        subcommands: [Build.self],
        defaultSubcommand: Build.self)

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Render every page and copy every asset.")

        @Option(help: "Folder of mustache templates (layout, partials/, pages/).")
        var templates = "Templates"

        @Option(name: .customLong("public"), help: "Folder of static assets (css/, js/, img/).")
        var publicDirectory = "Public"

        @Option(help: "Output folder, served by nginx.")
        var output = "dist"

        @Option(help: "Network the pages describe: devnet, testnet or mainnet.")
        var network = "devnet"

        @Option(help: "Path under which nginx serves the API.")
        var apiBase = "/api"

        @Option(help: "Build version shown in the footer.")
        var buildVersion = "dev"

        @Flag(help: "Keep running and rebuild whenever a file under the templates or public folder changes.")
        var watch = false

        func run() async throws {
            guard let profile = Network.named(network) else {
                throw ValidationError("--network \"\(network)\" is not known: use devnet, testnet or mainnet")
            }
            var configuration = SiteConfiguration(
                templatesDirectory: templates, publicDirectory: publicDirectory, outputDirectory: output,
                networkName: profile.name, networkDisplayName: profile.displayName, chainID: profile.chainID,
                apiBase: apiBase, version: buildVersion)
            configuration.rpcURL = profile.rpcURLs.first ?? ""
            configuration.explorerURL = profile.explorerURL ?? ""
            // The devnet's test token is deployed by `make run`; the others are the network's own.
            configuration.tokenSymbols = profile.name == "devnet" ? ["SUSD"] : profile.tokens.map(\.symbol)
            let builder = SiteBuilder(configuration: configuration)
            guard watch else {
                try await buildOnce(builder)
                return
            }
            var seen = Self.snapshot([templates, publicDirectory])
            do { try await buildOnce(builder) } catch { Self.report(error) }
            print("sonic-site: watching \(templates)/ and \(publicDirectory)/ (Ctrl-C to stop)")
            fflush(nil)
            while true {
                try await Task.sleep(nanoseconds: 300_000_000)
                let now = Self.snapshot([templates, publicDirectory])
                guard now != seen else { continue }
                seen = now
                do { try await buildOnce(builder) } catch { Self.report(error) }
            }
        }

        func buildOnce(_ builder: SiteBuilder) async throws {
            let started = Date()
            let report = try await builder.build()
            for file in report.files {
                print("  \(output)/\(file.path)  \(file.bytes) bytes, \(file.gzipBytes) gzipped")
            }
            for page in report.pages {
                let share = page.firstLoadGzipBytes * 100 / SiteBuilder.pageBudget
                print("  page \(page.name): first load \(page.firstLoadGzipBytes) bytes gzipped (\(share)% of the \(SiteBuilder.pageBudget / 1_024) KB budget)")
            }
            let elapsed = Int((Date().timeIntervalSince(started) * 1_000).rounded())
            print("sonic-site: wrote \(report.files.count) files to \(output)/ in \(elapsed) ms")
            // In --watch mode the output may go to a pipe or a log: show each build as it ends.
            fflush(nil)
        }

        /// A failed build in --watch mode: said on standard error, at once; the watch goes on.
        static func report(_ error: any Error) {
            FileHandle.standardError.write(Data("sonic-site: \(error)\n".utf8))
        }

        /// Modification times and sizes of every file under `folders`.
        static func snapshot(_ folders: [String]) -> [String: String] {
            var state: [String: String] = [:]
            for folder in folders {
                guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
                for case let relative as String in walker {
                    let path = "\(folder)/\(relative)"
                    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
                    state[path] = "\(attributes[.modificationDate] ?? "")/\(attributes[.size] ?? "")"
                }
            }
            return state
        }
    }
}

