import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore
import Synchronization
import SonicApp

/// A chain the test sets up by hand: balances, fees, the next nonce, what simulating a call
/// gives, and whether the node answers at all. Every read is counted.
public final class FakeChain: ChainReads, Broadcaster, @unchecked Sendable {
    public struct State {
        public var block: UInt64 = 100
        public var balances: [Address: UInt256] = [:]
        public var tokenBalances: [Address: [Address: UInt256]] = [:]
        /// What tokens outside the verified list say their symbol and decimals are.
        public var tokenMetadata: [Address: (symbol: String, decimals: Int)] = [:]
        /// Tokens that answer `balanceOf` with nonsense.
        public var brokenTokens: Set<Address> = []
        /// What tokens outside the verified list say their name is.
        public var tokenNames: [Address: String] = [:]
        /// Allowances by token, owner and spender.
        public var allowances: [Address: [Address: [Address: UInt256]]] = [:]
        /// Reads several calls in one (Multicall3): each is counted here as well as in `reads`.
        public var multicalls = 0
        public var fees = FeeSuggestion(baseFee: UInt256(1_000_000_000), maxPriorityFeePerGas: UInt256(1_000_000_000),
                                 maxFeePerGas: UInt256(3_000_000_000))
        public var nonce: UInt64 = 7
        /// What estimating gas gives: a number, or a revert reason.
        public var estimate: Result<UInt64, ChainError> = .success(21_000)
        public var subscription = SubscriptionContract.State(expiresAt: 0, price: UInt256(2_000_000_000_000_000_000), active: false, paused: false)
        public var mintFee = UInt256(1_000_000_000_000_000)
        /// The SFC and the V2 pools (`FakeChain+DeFi.swift`).
        public var defi = FakeDeFi()
        /// Contract wallets and the key each accepts signatures of (EIP-1271).
        public var contractWallets: [Address: Address] = [:]
        /// The node does not answer: every read fails as a refused connection would.
        public var down = false
        /// Mined transactions' receipts, and the hashes the node knows besides.
        public var receipts: [Hash32: Receipt] = [:]
        public var known: Set<Hash32> = []
        /// Waiting transactions the node knows in full (sender, nonce); a hash only in `known` or
        /// `receipts` is answered as sent by `FakeChain.stranger` with nonce 0.
        public var pool: [Hash32: TransactionInfo] = [:]
        /// The transactions of mined blocks, by block number: what a sender's mined nonce at a
        /// block counts, and what a block read answers.
        public var blocks: [UInt64: [TransactionInfo]] = [:]
        /// The node has no state before this block: reading a nonce there fails, as on a pruned node.
        public var stateFrom: UInt64 = 0
        /// An endpoint behind the others answers `eth_blockNumber` alone (batches see `block`).
        public var staleHead: UInt64?
        public var reads = 0
        /// Each batch asked for: its method and how many calls it held.
        public var batches: [(method: String, count: Int)] = []
        public var sent: [[UInt8]] = []
        /// When set, asking the chain id waits for a signal of it: a node that is slow to answer.
        public var chainIDGate: DispatchSemaphore?
        /// When set, asking a balance waits for a signal of it.
        public var balanceGate: DispatchSemaphore?
    }

    private let lock = NSLock()
    /// Under `lock`.
    private var current = State()

    /// Reads or changes the state under the fake's lock.
    public func withState<Result>(_ body: (inout State) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&current)
    }

    public init() {}

    public func update(_ change: (inout State) -> Void) { withState(change) }
    public var reads: Int { withState { $0.reads } }

    public static func reverted(_ reason: String) -> ChainError {
        .reverted(endpoint: "fake", method: "eth_estimateGas", reason: .message(reason))
    }

    /// Counts the read; throws what a refused connection throws while the node is down.
    private func read<Value>(_ body: (inout State) -> Value) throws(ChainError) -> Value {
        let result: Value? = withState { state in
            state.reads += 1
            return state.down ? nil : body(&state)
        }
        guard let result else { throw .transport(endpoint: "fake", method: "read", message: "Connection refused") }
        return result
    }

    public func chainID() throws(ChainError) -> UInt64 {
        withState { $0.chainIDGate }?.wait()
        return try read { _ in 31337 }
    }
    public func blockNumber() throws(ChainError) -> UInt64 { try read { $0.staleHead ?? $0.block } }
    public func balance(of address: Address, at block: BlockTag) throws(ChainError) -> UInt256 {
        withState { $0.balanceGate }?.wait()
        return try read { $0.balances[address] ?? .zero }
    }
    public func gasPrice() throws(ChainError) -> UInt256 { try read { $0.fees.baseFee } }
    public func suggestFees() throws(ChainError) -> FeeSuggestion { try read { $0.fees } }
    /// The last `blocks` blocks (those the chain has), each a gwei dearer than the one before it
    /// from the suggested base fee, half full, paying the suggested priority fee.
    public func feeHistory(blocks: UInt64) throws(ChainError) -> FeeHistory {
        try read { state in
            let count = min(blocks, state.block + 1)
            let oldest = state.block + 1 - count
            let fees = (0...count).map { BigQuantity(state.fees.baseFee.adding(UInt256(UInt64($0) * 1_000_000_000))!) }
            return FeeHistory(oldestBlock: Quantity(oldest), baseFeePerGas: fees, gasUsedRatio: Array(repeating: 0.5, count: Int(count)),
                              reward: Array(repeating: [BigQuantity(state.fees.maxPriorityFeePerGas)], count: Int(count)))
        }
    }
    public func receipt(_ hash: Hash32) throws(ChainError) -> Receipt? { try read { $0.receipts[hash] } }
    public func receipts(_ hashes: [Hash32]) throws(ChainError) -> [Result<Receipt?, ChainError>] {
        try read { state in
            state.batches.append(("eth_getTransactionReceipt", hashes.count))
            return hashes.map { .success(state.receipts[$0]) }
        }
    }
    public func knows(_ hash: Hash32) throws(ChainError) -> Bool { try read { $0.receipts[hash] != nil || $0.known.contains(hash) } }
    public func transactions(_ hashes: [Hash32]) throws(ChainError) -> [Result<TransactionInfo?, ChainError>] {
        try read { state in
            state.batches.append(("eth_getTransactionByHash", hashes.count))
            return hashes.map { hash in
                if let waiting = state.pool[hash] { return .success(waiting) }
                if let mined = state.blocks.values.lazy.flatMap({ $0 }).first(where: { $0.hash == hash }) { return .success(mined) }
                guard state.receipts[hash] != nil || state.known.contains(hash) else { return .success(nil) }
                return .success(Self.transaction(hash, from: Self.stranger, to: Self.stranger, nonce: 0))
            }
        }
    }

    public func headAndNonces(of senders: [Address]) throws(ChainError) -> (block: UInt64, nonces: [Result<UInt64, ChainError>]) {
        try read { state in
            state.batches.append(("eth_blockNumber+eth_getTransactionCount", senders.count + 1))
            return (state.block, senders.map { .success(Self.mined(by: $0, through: state.block, state)) })
        }
    }

    public func nonces(of sender: Address, at blocks: [UInt64]) throws(ChainError) -> [Result<UInt64, ChainError>] {
        try read { state in
            state.batches.append(("eth_getTransactionCount", blocks.count))
            return blocks.map { block in
                guard block >= state.stateFrom, block <= state.block else {
                    return .failure(.rpc(endpoint: "fake", method: "eth_getTransactionCount", code: -32000, message: "missing trie node", data: nil))
                }
                return .success(Self.mined(by: sender, through: block, state))
            }
        }
    }

    public func blockTransactions(_ number: UInt64) throws(ChainError) -> [TransactionInfo]? {
        try read { state in
            state.batches.append(("eth_getBlockByNumber", 1))
            return number <= state.block ? state.blocks[number] ?? [] : nil
        }
    }

    /// How many transactions `sender` had mined by `block`: one more than its highest nonce there.
    static func mined(by sender: Address, through block: UInt64, _ state: State) -> UInt64 {
        state.blocks.filter { $0.key <= block }.values.flatMap { $0 }.filter { $0.from == sender }.map { $0.nonce.value + 1 }.max() ?? 0
    }

    /// The sender of the transactions the fake knows only by hash.
    public static let stranger = try! Address("0x000000000000000000000000000000000000f00d")

    /// A transaction as a node answers it: `from` sends `value` wei to `to` with `nonce`, mined in
    /// `block` when given.
    public static func transaction(_ hash: Hash32, from: Address, to: Address, nonce: UInt64, value: UInt64 = 1, block: UInt64? = nil) -> TransactionInfo {
        let mined = block.map { "\"blockHash\":\"0x\(String(repeating: "22", count: 32))\",\"blockNumber\":\"\(Hex.quantity($0))\",\"transactionIndex\":\"0x0\"" }
            ?? "\"blockHash\":null,\"blockNumber\":null,\"transactionIndex\":null"
        let json = """
            {"hash":"\(hash)","nonce":"\(Hex.quantity(nonce))",\(mined),"from":"\(from.lowercased)","to":"\(to.lowercased)",
             "value":"\(Hex.quantity(value))","gas":"0x5208","gasPrice":"0x3b9aca00","input":"0x","type":"0x0"}
            """
        return try! JSONDecoder().decode(TransactionInfo.self, from: Data(json.utf8))
    }
    public func revertReason(of hash: Hash32, block: UInt64) -> String { "subscription: paused" }

    /// A receipt as a node answers it: `from` paid `gasUsed` × 1 gwei in `block`.
    public static func receipt(_ hash: Hash32, from: Address, to: Address, block: UInt64, gasUsed: UInt64 = 21_000, succeeded: Bool = true) -> Receipt {
        let json = """
            {"transactionHash":"\(hash)","blockHash":"0x\(String(repeating: "11", count: 32))","blockNumber":"\(Hex.quantity(block))",
             "from":"\(from.lowercased)","to":"\(to.lowercased)","gasUsed":"\(Hex.quantity(gasUsed))","effectiveGasPrice":"0x3b9aca00",
             "contractAddress":null,"logs":[],"status":"\(succeeded ? "0x1" : "0x0")"}
            """
        return try! JSONDecoder().decode(Receipt.self, from: Data(json.utf8))
    }
    public func isUnreachable(within seconds: Double) -> Bool { false }

    public func preview(_ request: CallRequest) -> (nonce: Result<UInt64, ChainError>, gas: Result<UInt64, ChainError>) {
        (Result { () throws(ChainError) in try read { $0.nonce } }, Result { () throws(ChainError) in try read { $0.estimate }.get() })
    }

    public func tokenBalances(_ tokens: [Address], of owner: Address, at block: UInt64) throws -> [UInt256?] {
        try read { state in
            state.multicalls += 1
            return tokens.map { state.brokenTokens.contains($0) ? nil : state.tokenBalances[$0]?[owner] ?? .zero }
        }
    }

    public func tokenDescriptions(_ tokens: [Address]) throws -> [TokenDescription?] {
        try read { state in
            state.multicalls += 1
            return tokens.map { token in
                state.tokenMetadata[token].map { TokenDescription(name: state.tokenNames[token], symbol: $0.symbol, decimals: $0.decimals) }
            }
        }
    }

    public func allowances(_ pairs: [(token: Address, spender: Address)], of owner: Address) throws -> [UInt256?] {
        try read { state in
            state.multicalls += 1
            return pairs.map { state.brokenTokens.contains($0.token) ? nil : state.allowances[$0.token]?[owner]?[$0.spender] ?? .zero }
        }
    }

    public func tokenBalance(_ token: Address, of owner: Address) throws -> UInt256 {
        try read { $0.tokenBalances[token]?[owner] ?? .zero }
    }

    public func tokenMetadata(_ token: Address) throws -> (symbol: String, decimals: Int) {
        let found = try read { $0.tokenMetadata[token] }
        guard let found else { throw FakeChain.reverted("not a token") }
        return found
    }

    public func subscriptionState(_ contract: Address, of user: Address) throws -> SubscriptionContract.State { try read { $0.subscription } }
    public func subscriptionTerms(_ contract: Address) throws -> (paused: Bool, price: UInt256) {
        try read { ($0.subscription.paused, $0.subscription.price) }
    }
    public func mintFee(_ contract: Address) throws -> UInt256 { try read { $0.mintFee } }
    public func accepts(_ signature: [UInt8], of hash: Hash32, by contract: Address) throws(ChainError) -> Bool {
        try read { state in
            guard let owner = state.contractWallets[contract], let ecdsa = try? Signature(bytes: signature) else { return false }
            return (try? ecdsa.recoverAddress(digest: hash.bytes)) == owner
        }
    }

    public func sendRawTransaction(_ raw: [UInt8]) throws(ChainError) -> Hash32 {
        try read { state in
            state.sent.append(raw)
            return try! Hash32(bytes: Keccak256.hash(raw))
        }
    }
}

/// A clock the test moves by hand.
public final class ManualClock: TimeSource, @unchecked Sendable {
    /// Starts at the real time (whole seconds), which stores stamp their rows with.
    private let current = Mutex(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded()))

    public init() {}

    public func now() -> Date { current.withLock { $0 } }
    public func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The app over a fake chain, a clock of the test's and a real SQLite file of its own.
public struct TestServices {
    public static let alice = try! Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    public static let bob = try! Address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
    public static let token = try! Address("0x5FbDB2315678afecb367f032d93F642f64180aa3")
    public static let subscriptionContract = try! Address("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512")
    public static let nftContract = try! Address("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")
    /// A swap router of ours, as a deployment file names one (a spender the allowances name).
    public static let router = try! Address("0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9")

    public let chain = FakeChain()
    public let clock = ManualClock()
    public let app: App
    public var context: ChainContext { app.context }
    /// The test's SQLite file, which every service of `app` reads and writes.
    public var store: Store { app.store! }
    public var balances: BalanceService { app.balances }
    public var transactions: TransactionService { app.transactions }
    public var subscriptions: SubscriptionService { app.subscriptions }

    /// - Parameter environment: settings beside the defaults (a test folder for the database and content).
    public init(ttl: Double = 1, maxStaleness: Double = 300, environment: [String: String] = [:]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString)").path
        let configuration = try Configuration(environment: [
            "SONIC_DB_PATH": "\(folder)/sonic.sqlite", "SONIC_CONTENT_DIR": "\(folder)/ipfs", "SONIC_KNOWLEDGE_DIR": "\(folder)/none",
            "SONIC_BALANCE_TTL": String(ttl), "SONIC_MAX_STALENESS": String(maxStaleness), "SONIC_RATE_LIMIT_PER_MINUTE": "0",
            "SONIC_SIGN_INS_PER_HOUR": "0",
        ].merging(environment) { $1 })
        var network = Network.devnet
        network.tokens = [KnownToken(symbol: "SUSD", name: "Sonic test dollar", address: Self.token, decimals: 6, source: "the test's")]
        network.collections = [Self.nftContract]
        func record(_ address: Address) -> Deployments.Record {
            .init(address: address, transactionHash: "0x" + String(repeating: "ab", count: 32), block: 1, compiler: "vyper", constructorArguments: [])
        }
        let deployments = Deployments(network: "devnet", chainID: 31337, contracts: [
            "SmartSonicSubscription": record(Self.subscriptionContract), "SmartSonicNFT": record(Self.nftContract),
            "UniswapV2Router02": record(Self.router),
        ])
        let context = ChainContext(network: network, deployments: deployments, chain: chain, broadcaster: chain, clock: clock, feeTTL: ttl)
        // The node's client is only read for /metrics here; nothing calls it.
        app = App(configuration: configuration, client: RPCClient(endpoints: ["http://127.0.0.1:9"]), context: context,
                  store: try Store(path: configuration.databasePath))
    }

    /// `whole` S in wei.
    public static func s(_ whole: UInt64) -> UInt256 { UInt256(whole).multiplied(by: UInt256(1_000_000_000_000_000_000 as UInt64))! }
}
