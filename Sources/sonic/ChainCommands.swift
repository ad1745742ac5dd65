import ArgumentParser
import SonicChain

/// Where a chain command sends its calls: --rpc-url wins over --network.
struct ChainOptions: ParsableArguments {
    @Option(help: "RPC URL to call.") var rpcURL: String?
    @Option(help: "Network whose RPC URL to call: devnet, testnet or mainnet.") var network = "devnet"

    func client() throws -> RPCClient {
        if let rpcURL { return RPCClient(endpoints: [rpcURL]) }
        guard let profile = Network.named(network) else {
            throw ValidationError("--network \"\(network)\" is not known: use devnet, testnet or mainnet")
        }
        return RPCClient(endpoints: profile.rpcURLs)
    }
}

struct ChainID: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chain-id", abstract: "Print the chain id.")
    @OptionGroup var chain: ChainOptions

    func run() throws { print(try chain.client().chainID()) }
}

struct BlockNumber: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "block-number", abstract: "Print the latest block number.")
    @OptionGroup var chain: ChainOptions

    func run() throws { print(try chain.client().blockNumber()) }
}
