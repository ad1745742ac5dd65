import ArgumentParser
import Ethereum
import Foundation
import SonicChain

struct Deploy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deploy Smart Sonic's contracts and write deployments/<network>.json.",
        discussion: """
            In order: Multicall3 and TestToken (devnet only: Sonic has Multicall3 at its canonical \
            address), SmartSonicSubscription, SmartSonicNFT. Each deployment waits for its receipt \
            and checks that code is at the new address. Contracts already recorded whose code is \
            still on chain are kept, so running it again is safe.
            """)

    @OptionGroup var chain: ChainOptions
    @OptionGroup var signer: SignerOptions
    @Option(help: "Folder of compiled artifacts.") var artifacts = "contracts/build"
    @Option(help: "Folder of deployment files.") var deployments = "deployments"
    @Option(help: "Subscription price per 30 days, in S.") var subscriptionPrice = "1"
    @Option(help: "NFT mint fee, in S.") var mintFee = "0"

    func run() async throws {
        let network = try chain.profile()
        let client = RPCClient(endpoints: network.rpcURLs)
        let served = try await client.chainID()
        guard served == network.chainID else {
            throw CommandFailure("the RPC serves chain id \(served), not \(network.name)'s \(network.chainID)")
        }
        let sender = TransactionSender(client: client, key: try signer.key(), network: network)
        let deployer = ContractDeployer(sender: sender)
        var record = (try? Deployments.load(network: network, directory: deployments))
            ?? Deployments(network: network.name, chainID: network.chainID)
        var plan: [(String, [ABIValue])] = []
        if network.name == "devnet" {
            let holders = try await client.call("eth_accounts", as: [String].self).prefix(16).map { ABIValue.address(try Address($0)) }
            plan.append(("Multicall3", []))
            plan.append(("TestToken", [.string("Sonic test dollar"), .string("SUSD"), .uint(6), .array(holders), .uint(1_000_000_000_000)]))
        }
        plan.append(("SmartSonicSubscription", [.uint(try Units.parse(subscriptionPrice, decimals: 18).value)]))
        plan.append(("SmartSonicNFT", [.string("Smart Sonic"), .string("SONIC"), .uint(try Units.parse(mintFee, decimals: 18).value)]))

        for (name, arguments) in plan {
            if let existing = record.contracts[name], !(try await client.code(at: existing.address)).isEmpty {
                print("\(name): kept at \(existing.address)")
                continue
            }
            let artifact = try ContractArtifact(name: name, directory: artifacts)
            let deployed = try await deployer.deploy(artifact, arguments: arguments)
            record.contracts[name] = deployed
            try record.save(directory: deployments)  // after each one, so a failure later loses nothing
            print("\(name): deployed at \(deployed.address) in block \(deployed.block) (\(deployed.transactionHash))")
        }
        try record.save(directory: deployments)
        print("wrote \(Deployments.path(network: network.name, directory: deployments))")
    }
}
