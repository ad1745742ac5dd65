import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore
import Synchronization
@testable import SonicApp

/// A chain the test sets up by hand: balances, fees, the next nonce, what simulating a call
/// gives, and whether the node answers at all. Every read is counted.
final class FakeChain: ChainReads, Broadcaster, @unchecked Sendable {
    struct State {
        var block: UInt64 = 100
        var balances: [Address: UInt256] = [:]
        var tokenBalances: [Address: [Address: UInt256]] = [:]
        /// Tokens that answer `balanceOf` with nonsense.
        var brokenTokens: Set<Address> = []
        var fees = FeeSuggestion(baseFee: UInt256(1_000_000_000), maxPriorityFeePerGas: UInt256(1_000_000_000),
                                 maxFeePerGas: UInt256(3_000_000_000))
        var nonce: UInt64 = 7
        /// What estimating gas gives: a number, or a revert reason.
        var estimate: Result<UInt64, ChainError> = .success(21_000)
        var subscription = SubscriptionContract.State(expiresAt: 0, price: UInt256(2_000_000_000_000_000_000), active: false, paused: false)
        var mintFee = UInt256(1_000_000_000_000_000)
        /// The node does not answer: every read fails as a refused connection would.
        var down = false
        var reads = 0
        var sent: [[UInt8]] = []
    }

    let state = Mutex(State())

    func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }
    var reads: Int { state.withLock { $0.reads } }

    static func reverted(_ reason: String) -> ChainError {
        .reverted(endpoint: "fake", method: "eth_estimateGas", reason: .message(reason))
    }

    /// Counts the read; throws what a refused connection throws while the node is down.
    private func read<Value>(_ body: (inout State) -> Value) throws(ChainError) -> Value {
        let result: Value? = state.withLock { state in
            state.reads += 1
            return state.down ? nil : body(&state)
        }
        guard let result else { throw .transport(endpoint: "fake", method: "read", message: "Connection refused") }
        return result
    }

    func chainID() throws(ChainError) -> UInt64 { try read { _ in 31337 } }
    func blockNumber() throws(ChainError) -> UInt64 { try read { $0.block } }
    func balance(of address: Address, at block: BlockTag) throws(ChainError) -> UInt256 { try read { $0.balances[address] ?? .zero } }
    func gasPrice() throws(ChainError) -> UInt256 { try read { $0.fees.baseFee } }
    func suggestFees() throws(ChainError) -> FeeSuggestion { try read { $0.fees } }
    func receipt(_ hash: Hash32) throws(ChainError) -> Receipt? { try read { _ in nil } }
    func receipts(_ hashes: [Hash32]) throws(ChainError) -> [Result<Receipt?, ChainError>] { try read { _ in hashes.map { _ in .success(nil) } } }
    func knows(_ hash: Hash32) throws(ChainError) -> Bool { try read { _ in false } }
    func revertReason(of hash: Hash32, block: UInt64) -> String { "reverted" }
    func isUnreachable(within seconds: Double) -> Bool { false }

    func preview(_ request: CallRequest) -> (nonce: Result<UInt64, ChainError>, gas: Result<UInt64, ChainError>) {
        (Result { () throws(ChainError) in try read { $0.nonce } }, Result { () throws(ChainError) in try read { $0.estimate }.get() })
    }

    func tokenBalances(_ tokens: [Address], of owner: Address, at block: UInt64) throws -> [UInt256?] {
        try read { state in tokens.map { state.brokenTokens.contains($0) ? nil : state.tokenBalances[$0]?[owner] ?? .zero } }
    }

    func tokenBalance(_ token: Address, of owner: Address) throws -> UInt256 {
        try read { $0.tokenBalances[token]?[owner] ?? .zero }
    }

    func subscriptionState(_ contract: Address, of user: Address) throws -> SubscriptionContract.State { try read { $0.subscription } }
    func subscriptionTerms(_ contract: Address) throws -> (paused: Bool, price: UInt256) {
        try read { ($0.subscription.paused, $0.subscription.price) }
    }
    func mintFee(_ contract: Address) throws -> UInt256 { try read { $0.mintFee } }

    func sendRawTransaction(_ raw: [UInt8]) throws(ChainError) -> Hash32 {
        try read { state in
            state.sent.append(raw)
            return try! Hash32(bytes: Keccak256.hash(raw))
        }
    }
}

/// A clock the test moves by hand.
final class ManualClock: TimeSource, @unchecked Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The services over a fake chain, a clock of the test's and a real SQLite file of their own.
struct TestServices {
    static let alice = try! Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    static let bob = try! Address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
    static let token = try! Address("0x5FbDB2315678afecb367f032d93F642f64180aa3")
    static let subscriptionContract = try! Address("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512")
    static let nftContract = try! Address("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")

    let chain = FakeChain()
    let clock = ManualClock()
    let context: ChainContext
    let balances: BalanceService
    let transactions: TransactionService
    let subscriptions: SubscriptionService

    init(ttl: Double = 1, maxStaleness: Double = 300) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString).sqlite").path
        var network = Network.devnet
        network.tokens = [KnownToken(symbol: "SUSD", name: "Sonic test dollar", address: Self.token, decimals: 6)]
        func record(_ address: Address) -> Deployments.Record {
            .init(address: address, transactionHash: "0x" + String(repeating: "ab", count: 32), block: 1, compiler: "vyper", constructorArguments: [])
        }
        let deployments = Deployments(network: "devnet", chainID: 31337, contracts: [
            "SmartSonicSubscription": record(Self.subscriptionContract), "SmartSonicNFT": record(Self.nftContract),
        ])
        context = ChainContext(network: network, deployments: deployments, chain: chain, broadcaster: chain, clock: clock,
                               store: try Store(path: path), feeTTL: ttl)
        balances = BalanceService(context: context, ttl: ttl, maxStaleness: maxStaleness)
        transactions = TransactionService(context: context, balances: balances)
        subscriptions = SubscriptionService(context: context, ttl: ttl)
    }

    /// `whole` S in wei.
    static func s(_ whole: UInt64) -> UInt256 { UInt256(whole).multiplied(by: UInt256(1_000_000_000_000_000_000 as UInt64))! }
}
