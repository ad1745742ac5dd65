import SonicConfig
import Ethereum
import Foundation
import SonicChain

/// The devnet that `make test` starts for the Swift suites (SONIC_TEST_RPC_URL).
enum TestChain {
    static let rpcURL = ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"]
    static var available: Bool { rpcURL != nil }
    /// A loopback port nothing listens on: connections are refused at once.
    static let deadURL = "http://127.0.0.1:9"
    /// Compiled contracts (make contracts).
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("contracts/build").path

    /// Development accounts of "test test … junk": public keys for a local chain only.
    static let keys = [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    ].map { try! PrivateKey(hex: $0) }

    /// Development account 3: DeFiDevnetTests' own, apart from `keys` (the other suites', which
    /// read their balances), so its transfers never race theirs for a nonce or a balance (suites
    /// run in parallel on one devnet).
    static let defiKey = try! PrivateKey(hex: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6")

    static var network: Network { Network.devnet.with(rpcURLs: [rpcURL!]) }
    static func client() -> RPCClient { RPCClient(endpoints: [rpcURL!]) }
    static func sender(_ index: Int = 0) -> TransactionSender { sender(key: keys[index]) }
    static func sender(key: PrivateKey) -> TransactionSender { TransactionSender(client: client(), key: key, network: network) }

    /// Deploys one artifact with the first development account.
    static func deploy(_ name: String, _ arguments: [ABIValue]) async throws -> Address {
        try await ContractDeployer(sender: sender()).deploy(try ContractArtifact(name: name, directory: artifacts), arguments: arguments).address
    }
}
