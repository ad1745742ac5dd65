import Foundation
import Testing
@testable import SonicConfig

/// The devnet's DeFi addresses in `Network.devnet.defi` are those its genesis file records
/// (devnet/sonic_devnet/defi-genesis.json, rebuilt by `python -m sonic_devnet.defi_build`), and
/// every network's entries say where they come from.
struct NetworkDeFiTests {
    struct Genesis: Decodable { let contracts: [String: String] }

    static let genesis: Genesis = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("devnet/sonic_devnet/defi-genesis.json")
        return try! JSONDecoder().decode(Genesis.self, from: Data(contentsOf: url))
    }()

    @Test func devnetAddressesAreTheGenesisFiles() throws {
        let defi = Network.devnet.defi
        let expected: [(String, SourcedAddress?)] = [
            ("SFC", defi.sfc), ("WrappedSonic", defi.wrappedNative), ("DexRouter", defi.router), ("DexFactory", defi.factory),
            ("PriceFeed", defi.priceFeed),
        ]
        for (name, entry) in expected {
            #expect(entry?.address.checksummed == Self.genesis.contracts[name], "\(name)")
        }
        for token in defi.poolTokens {
            #expect(token.address.checksummed == Self.genesis.contracts[token.symbol], "\(token.symbol)")
        }
        #expect(defi.poolTokens.map(\.symbol) == ["SUSD", "STT"])
        #expect(Network.devnet.stakingContract == defi.sfc?.address)
    }

    @Test func everyEntrySaysWhereItComesFrom() {
        for network in Network.all {
            let defi = network.defi
            let entries = [defi.sfc, defi.wrappedNative, defi.router, defi.factory, defi.priceFeed].compactMap { $0 }
            #expect(entries.allSatisfy { !$0.source.isEmpty }, "\(network.name)")
            #expect(defi.sfc?.address == network.stakingContract, "\(network.name)")
        }
        // What we do not know on testnet stays unknown rather than guessed.
        #expect(Network.testnet.defi.router == nil && Network.testnet.defi.wrappedNative == nil)
    }
}
