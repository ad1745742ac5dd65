import ArgumentParser
import SiteBuilder
import SonicChain

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
            let report = try await builder.build()
            for file in report.files {
                print("  \(output)/\(file.path)  \(file.bytes) bytes")
            }
            print("sonic-site: wrote \(report.files.count) files to \(output)/")
        }
    }
}

