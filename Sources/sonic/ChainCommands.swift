import ArgumentParser
import Ethereum
import Foundation
import SonicChain
import SonicConfig

/// Where a chain command sends its calls: --rpc-url wins over the network's URLs.
struct ChainOptions: ParsableArguments {
    @Option(help: "RPC URL to call (default: the network's).") var rpcURL: String?
    @Option(help: "Network: devnet, testnet or mainnet.") var network = "devnet"

    func profile() throws -> Network {
        guard let profile = Network.named(network) else {
            throw ValidationError("--network \"\(network)\" is not known: use devnet, testnet or mainnet")
        }
        return rpcURL.map { profile.with(rpcURLs: [$0]) } ?? profile
    }

    func client() throws -> RPCClient { RPCClient(endpoints: try profile().rpcURLs) }
}

struct ChainID: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chain-id", abstract: "Print the chain id.")
    @OptionGroup var chain: ChainOptions
    func run() async throws { print(try await chain.client().chainID()) }
}

struct BlockNumber: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "block-number", abstract: "Print the latest block number.")
    @OptionGroup var chain: ChainOptions
    func run() async throws { print(try await chain.client().blockNumber()) }
}

struct Balance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print an address's balance in wei (or the token's base units).")
    @OptionGroup var chain: ChainOptions
    @Option(help: "ERC-20 token address: print the token balance instead of S.") var erc20: String?
    @Flag(help: "Print in S (or whole tokens) with all decimals, as from-wei does.") var ether = false
    @Argument(help: "The address.") var address: String

    func run() async throws {
        let owner = try Address(address)
        let client = try chain.client()
        if let erc20 {
            let token = ERC20(address: try Address(erc20), client: client)
            let balance = try await token.balance(of: owner)
            print(ether ? Units.formatFixed(balance, decimals: try await token.decimals()) : balance.description)
        } else {
            let balance = try await client.balance(of: owner)
            print(ether ? Units.formatFixed(balance, decimals: 18) : balance.description)
        }
    }
}

struct Nonce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print an address's nonce (pending transactions included).")
    @OptionGroup var chain: ChainOptions
    @Argument(help: "The address.") var address: String
    func run() async throws { print(try await chain.client().nonce(of: try Address(address))) }
}

struct GasPrice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gas-price", abstract: "Print the current gas price in wei.")
    @OptionGroup var chain: ChainOptions
    func run() async throws { print(try await chain.client().gasPrice()) }
}

struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call a view function; outputs are decoded when the signature names them, e.g. \"balanceOf(address)(uint256)\".")
    @OptionGroup var chain: ChainOptions
    @Argument(help: "Contract address.") var to: String
    @Argument(help: "Function signature.") var signature: String
    @Argument(help: "Arguments.") var arguments: [String] = []

    func run() async throws {
        let function = try ABISignature(parsing: signature)
        let data = try function.calldata(try parseArguments(arguments, for: function))
        let output = try await chain.client().call(CallRequest(to: try Address(to), data: data))
        if function.outputs.isEmpty {
            print(Hex.encode(output))
        } else {
            for value in try function.decodeOutput(output) { print(value.text) }
        }
    }
}

struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign and send a transaction (EIP-1559, fees suggested from fee history); print its hash.")
    @OptionGroup var chain: ChainOptions
    @OptionGroup var signer: SignerOptions
    @Option(help: "Value in wei, or with a unit (1.5ether).") var value = "0"
    @Flag(help: "Wait for the receipt and print it.") var wait = false
    @Argument(help: "Recipient address.") var to: String
    @Argument(help: "Function signature, for a contract call.") var signature: String?
    @Argument(help: "Arguments.") var arguments: [String] = []

    func run() async throws {
        let network = try chain.profile()
        let client = RPCClient(endpoints: network.rpcURLs)
        var data: [UInt8] = []
        if let signature {
            let function = try ABISignature(parsing: signature)
            data = try function.calldata(try parseArguments(arguments, for: function))
        }
        let sender = TransactionSender(client: client, key: try signer.key(), network: network)
        let signed = try await sender.send(CallRequest(to: try Address(to), value: try parseAmount(value, name: "--value"), data: data))
        let hash = Hash32.keccak(signed.raw)
        print(hash)
        if wait {
            guard try await sender.waitForReceipt(hash) != nil else { throw CommandFailure("no receipt for \(hash) within 60 s") }
            try printJSON(await client.call("eth_getTransactionReceipt", [.string(hash.description)], as: JSONValue.self))
        }
    }
}

struct ReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receipt", abstract: "Print a transaction's receipt as JSON.")
    @OptionGroup var chain: ChainOptions
    @Argument(help: "Transaction hash.") var hash: String

    func run() async throws {
        let receipt = try await chain.client().call("eth_getTransactionReceipt", [.string(try Hash32(hash).description)], as: JSONValue.self)
        guard receipt != .null else { throw CommandFailure("no receipt for \(hash): pending or unknown") }
        try printJSON(receipt)
    }
}

struct TransactionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tx", abstract: "Print a transaction as JSON.")
    @OptionGroup var chain: ChainOptions
    @Argument(help: "Transaction hash.") var hash: String

    func run() async throws {
        let transaction = try await chain.client().call("eth_getTransactionByHash", [.string(try Hash32(hash).description)], as: JSONValue.self)
        guard transaction != .null else { throw CommandFailure("transaction \(hash) is not known to the node") }
        try printJSON(transaction)
    }
}

func printJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
