import Foundation
import Ethereum

/// A token the product knows by symbol on a network: a *verified* token. Any other token is
/// shown with its contract address and marked unverified (a look-alike may copy the symbol).
public struct KnownToken: Sendable, Hashable {
    public let symbol: String
    public let name: String
    public let address: Address
    public let decimals: Int
    /// Where its address comes from, so that anyone can check it.
    public let source: String

    public init(symbol: String, name: String, address: Address, decimals: Int, source: String) {
        self.symbol = symbol
        self.name = name
        self.address = address
        self.decimals = decimals
        self.source = source
    }

    /// A symbol a token contract gives, fit to show: at most 32 characters (`shown(_:limit:)`);
    /// "?" when nothing is left. It is only what the contract says of itself.
    public static func shown(_ symbol: String) -> String { shown(symbol, limit: 32) }

    /// A name a token contract gives, fit to show: at most 64 characters.
    public static func shownName(_ name: String) -> String { shown(name, limit: 64) }

    /// On-chain text fit to show and never to obey: control characters become spaces, format
    /// characters (bidirectional overrides, zero-width joiners) go, runs of spaces become one,
    /// and at most `limit` characters are kept; "?" when nothing is left. Anyone can deploy a
    /// token whose name says anything, so this text is quoted as data, never made part of
    /// instructions (to a language model or otherwise).
    public static func shown(_ text: String, limit: Int) -> String {
        var cleaned = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in text.unicodeScalars.prefix(4 * limit) {
            if scalar.properties.generalCategory == .format { continue }
            let space = CharacterSet.controlCharacters.contains(scalar) || CharacterSet.whitespacesAndNewlines.contains(scalar)
            if space {
                if !lastWasSpace { cleaned.append(" ") }
            } else {
                cleaned.append(scalar)
            }
            lastWasSpace = space
        }
        let trimmed = String(String(cleaned).prefix(limit)).trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "?" : trimmed
    }
}

/// A Sonic network the product can run against: its profile. Facts from Sonic's documentation
/// (docs.soniclabs.com); check them live (`eth_chainId`, `eth_gasPrice`) rather than trusting constants.
public struct Network: Sendable, Hashable {
    public let name: String
    public let displayName: String
    public let chainID: UInt64
    public var rpcURLs: [String]
    public let explorerURL: String?
    public let nativeSymbol: String
    /// Sonic's MinBaseFee: no block's base fee is lower (50 gwei on testnet and mainnet).
    public let minimumBaseFee: UInt256
    /// Multicall3, where the network has it at the canonical address; the devnet's comes from
    /// its deployment file.
    public var multicall3: Address?
    /// The verified tokens: ours on the devnet (from its deployment file), the well-known ones on mainnet.
    public var tokens: [KnownToken]
    /// Verified NFT collections (ours, from the deployment file).
    public var collections: [Address] = []
    /// The SFC staking contract.
    public let stakingContract: Address?
    /// Staking, wrapped S, the swap router and the price feed, with their sources.
    public var defi = DeFiContracts()

    public static let devnet = Network(
        name: "devnet", displayName: "Sonic devnet (local)", chainID: 31337, rpcURLs: ["http://127.0.0.1:8545"],
        explorerURL: nil, nativeSymbol: "S", minimumBaseFee: .zero, multicall3: nil, tokens: [], stakingContract: sfc, defi: .devnet)
    public static let testnet = Network(
        name: "testnet", displayName: "Sonic testnet", chainID: 14601, rpcURLs: ["https://rpc.testnet.soniclabs.com"],
        explorerURL: "https://testnet.sonicscan.org", nativeSymbol: "S", minimumBaseFee: UInt256(50_000_000_000),
        multicall3: canonicalMulticall3, tokens: [], stakingContract: sfc, defi: .testnet)
    public static let mainnet = Network(
        name: "mainnet", displayName: "Sonic", chainID: 146, rpcURLs: ["https://rpc.soniclabs.com"],
        explorerURL: "https://sonicscan.org", nativeSymbol: "S", minimumBaseFee: UInt256(50_000_000_000),
        multicall3: canonicalMulticall3,
        tokens: [
            KnownToken(symbol: "WS", name: "Wrapped Sonic", address: constant("0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38"), decimals: 18,
                       source: sonicContractAddresses),
            KnownToken(symbol: "USDC", name: "USD Coin", address: constant("0x29219dd400f2Bf60E5a23d13Be72B486D4038894"), decimals: 6,
                       source: sonicContractAddresses),
            KnownToken(symbol: "WETH", name: "Wrapped Ether", address: constant("0x50c42dEAcD8Fc9773493ED674b675bE577f2634b"), decimals: 18,
                       source: sonicContractAddresses),
        ],
        stakingContract: sfc, defi: .mainnet)

    public static let all = [devnet, testnet, mainnet]
    /// Sonic's documentation of its contract addresses (Sonic mainnet tokens).
    static let sonicContractAddresses = "https://docs.soniclabs.com/sonic/build-on-sonic/contract-addresses"
    static let canonicalMulticall3 = constant("0xcA11bde05977b3631167028862bE2a173976CA11")
    static let sfc = constant("0xFC00FACE00000000000000000000000000000000")

    /// The network called `name` (`devnet`, `testnet`, `mainnet`), or nil.
    public static func named(_ name: String) -> Network? { all.first { $0.name == name } }

    /// The same network reached through other RPC URLs.
    public func with(rpcURLs: [String]) -> Network {
        var network = self
        network.rpcURLs = rpcURLs
        return network
    }

    /// Whether `contract` is a verified token or NFT collection of this network.
    public func isVerified(_ contract: Address) -> Bool {
        tokens.contains { $0.address == contract } || collections.contains(contract)
    }

    /// The explorer page of a transaction, where the network has an explorer.
    public func explorerLink(transaction hash: String) -> String? { explorerURL.map { "\($0)/tx/\(hash)" } }

    private static func constant(_ text: String) -> Address {
        do { return try Address(text) } catch { preconditionFailure("bad address constant \(text)") }
    }
}
