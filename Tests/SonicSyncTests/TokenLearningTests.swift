import Ethereum
import Foundation
import SonicChain
import SonicStore
import Testing
@testable import SonicSync

/// Token contracts seen for the first time: what an ERC-20 says of itself is kept in the store,
/// cleaned, so the app need not read it again; a contract that does not answer `decimals()` is not kept.
@Suite struct TokenLearningTests {
    /// A node that knows only what three contracts say of themselves.
    struct Talkers: IndexerSource {
        static let foo = try! Address("0x00000000000000000000000000000000000000F0")
        static let mute = try! Address("0x00000000000000000000000000000000000000F1")
        func chainID() throws(ChainError) -> UInt64 { 31337 }
        func blockNumber() throws(ChainError) -> UInt64 { 0 }
        func header(_ number: UInt64) throws(ChainError) -> Block? { nil }
        func blocks(_ range: ClosedRange<UInt64>) throws(ChainError) -> [Result<Block?, ChainError>] { [] }
        func receipts(_ hashes: [Hash32]) throws(ChainError) -> [Result<Receipt?, ChainError>] { [] }
        func revertReason(of transaction: TransactionInfo, block: UInt64) -> String { "reverted" }
        func logs(_ filter: LogFilter) throws(ChainError) -> [Log] { [] }
        func tokenSymbol(_ token: Address) -> String? { token == Self.foo ? "FOO\u{202E}" : "MUTE" }
        func tokenDecimals(_ token: Address) -> Int? { token == Self.foo ? 8 : nil }
        func tokenName(_ token: Address) -> String? { token == Self.foo ? "Foo\nCoin" : nil }
    }

    @Test func anERC20SeenFirstIsKeptWithItsNameSymbolAndDecimalsCleaned() throws {
        let store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("learn-\(UUID().uuidString).sqlite").path)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let indexer = Indexer(client: Talkers(), store: store, chainID: 31337, catalog: Catalog(), options: .init(indexAll: true), now: { now })
        let log = { (contract: Address) -> [String: Any] in
            ActivityDecoderTests.transferLog(contract: contract.lowercased, from: ActivityDecoderTests.alice, to: ActivityDecoderTests.bob, amount: 1)
        }
        let mined = try ActivityDecoderTests.mined(to: Talkers.foo.lowercased, logs: [log(Talkers.foo), log(Talkers.mute)])
        try indexer.learnTokens(in: [mined.receipt])
        let kept = try store.tokenMetadata([Talkers.foo, Talkers.mute])
        #expect(kept == [Talkers.foo: TokenMetadata(address: Talkers.foo, name: "Foo Coin", symbol: "FOO", decimals: 8, readAt: now)])
    }
}
