/// A Sonic network the product can run against. Facts from docs/networks.md (SONIC.md).
public struct Network: Sendable, Hashable {
    public let name: String
    public let displayName: String
    public let chainID: UInt64
    public let rpcURLs: [String]
    public let explorerURL: String?
    public let nativeSymbol: String

    public static let devnet = Network(
        name: "devnet", displayName: "Sonic devnet (local)", chainID: 31337,
        rpcURLs: ["http://127.0.0.1:8545"], explorerURL: nil, nativeSymbol: "S")
    public static let testnet = Network(
        name: "testnet", displayName: "Sonic testnet", chainID: 14601,
        rpcURLs: ["https://rpc.testnet.soniclabs.com"], explorerURL: "https://testnet.sonicscan.org", nativeSymbol: "S")
    public static let mainnet = Network(
        name: "mainnet", displayName: "Sonic", chainID: 146,
        rpcURLs: ["https://rpc.soniclabs.com"], explorerURL: "https://sonicscan.org", nativeSymbol: "S")

    public static let all = [devnet, testnet, mainnet]

    /// The network called `name` (`devnet`, `testnet`, `mainnet`), or nil.
    public static func named(_ name: String) -> Network? { all.first { $0.name == name } }

    /// The same network reached through other RPC URLs.
    public func with(rpcURLs: [String]) -> Network {
        Network(name: name, displayName: displayName, chainID: chainID, rpcURLs: rpcURLs,
                explorerURL: explorerURL, nativeSymbol: nativeSymbol)
    }
}
