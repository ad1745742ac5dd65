import Ethereum
import SonicChain
import SonicConfig

/// `ChainReads` and `Broadcaster` over JSON-RPC: the node through `RPCClient`, fees through
/// `FeeAdvisor`, several contract reads in one call through Multicall3 where the network has it.
public struct RPCChain: ChainReads, Broadcaster {
    public let client: RPCClient
    let fees: FeeAdvisor
    let multicall: Address?

    public init(client: RPCClient, network: Network) {
        self.client = client
        fees = FeeAdvisor(client: client, minimumBaseFee: network.minimumBaseFee)
        multicall = network.multicall3
    }

    public func chainID() async throws(ChainError) -> UInt64 { try await client.chainID() }
    public func blockNumber() async throws(ChainError) -> UInt64 { try await client.blockNumber() }
    public func balance(of address: Address, at block: BlockTag) async throws(ChainError) -> UInt256 { try await client.balance(of: address, at: block) }
    public func headAndBalance(of address: Address) async throws(ChainError) -> (block: UInt64, balance: UInt256) {
        try await client.headAndBalance(of: address)
    }
    public func gasPrice() async throws(ChainError) -> UInt256 { try await client.gasPrice() }
    public func suggestFees() async throws(ChainError) -> FeeSuggestion { try await fees.suggest() }
    public func feeHistory(blocks: UInt64) async throws(ChainError) -> FeeHistory { try await client.feeHistory(blocks: blocks, percentiles: [50]) }
    public func receipt(_ hash: Hash32) async throws(ChainError) -> Receipt? { try await client.receipt(hash) }
    public func knows(_ hash: Hash32) async throws(ChainError) -> Bool { try await client.transaction(hash) != nil }
    public func isUnreachable(within seconds: Double) -> Bool { client.isUnreachable(within: seconds) }
    public func sendRawTransaction(_ raw: [UInt8]) async throws(ChainError) -> Hash32 { try await client.sendRawTransaction(raw) }

    public func preview(_ request: CallRequest) async -> (nonce: Result<UInt64, ChainError>, gas: Result<UInt64, ChainError>) {
        // Independent reads, each a round trip: asked at once, the preview waits for the slower.
        let from = request.from!  // a preview is always of a sender's call
        async let nonce = result { [client] () async throws(ChainError) in try await client.nonce(of: from, at: .pending) }
        async let gas = result { [client] () async throws(ChainError) in try await client.estimateGas(request) }
        return await (nonce, gas)
    }

    public func receipts(_ hashes: [Hash32]) async throws(ChainError) -> [Result<Receipt?, ChainError>] {
        try await client.batch("eth_getTransactionReceipt", hashes.map { [.string($0.description)] }, as: Receipt?.self)
    }

    public func transactions(_ hashes: [Hash32]) async throws(ChainError) -> [Result<TransactionInfo?, ChainError>] {
        try await client.transactions(hashes)
    }

    public func headAndNonces(of senders: [Address]) async throws(ChainError) -> (block: UInt64, nonces: [Result<UInt64, ChainError>]) {
        try await client.headAndNonces(of: senders)
    }

    public func nonces(of sender: Address, at blocks: [UInt64]) async throws(ChainError) -> [Result<UInt64, ChainError>] {
        try await client.nonces(of: sender, at: blocks)
    }

    public func blockTransactions(_ number: UInt64) async throws(ChainError) -> [TransactionInfo]? {
        try await client.block(.number(number), fullTransactions: true).map { block in
            block.transactions.compactMap { if case .full(let transaction) = $0 { transaction } else { nil } }
        }
    }

    public func revertReason(of hash: Hash32, block: UInt64) async -> String {
        guard let transaction = try? await client.transaction(hash) else { return "reverted" }
        return await client.revertReason(of: transaction, block: block)
    }

    public func tokenBalances(_ tokens: [Address], of owner: Address, at block: UInt64) async throws -> [UInt256?] {
        let calls = try tokens.map { (target: $0, data: try ERC20.balanceOf.calldata([.address(owner)])) }
        return try await aggregate(calls, at: .number(block)).map { Self.uint($0, ERC20.balanceOf) }
    }

    public func tokenDescriptions(_ tokens: [Address]) async throws -> [TokenDescription?] {
        let functions = [ERC20.name, ERC20.symbol, ERC20.decimals]
        let calls = try tokens.flatMap { token in try functions.map { (target: token, data: try $0.calldata([])) } }
        let results = try await aggregate(calls, at: .latest)
        return tokens.indices.map { index in
            let (name, symbol, decimals) = (results[3 * index], results[3 * index + 1], results[3 * index + 2])
            guard let value = Self.uint(decimals, ERC20.decimals), let places = Int(exactly: value.value), places <= 255 else { return nil }
            return TokenDescription(name: name.success ? ERC20.text(name.data) : nil, symbol: symbol.success ? ERC20.text(symbol.data) : nil,
                                    decimals: places)
        }
    }

    public func allowances(_ pairs: [(token: Address, spender: Address)], of owner: Address) async throws -> [UInt256?] {
        let calls = try pairs.map { (target: $0.token, data: try ERC20.allowance.calldata([.address(owner), .address($0.spender)])) }
        return try await aggregate(calls, at: .latest).map { Self.uint($0, ERC20.allowance) }
    }

    /// Runs view calls together: in one `eth_call` through Multicall3 where the network has it
    /// (each call allowed to fail), else one by one.
    func aggregate(_ calls: [(target: Address, data: [UInt8])], at block: BlockTag) async throws -> [(success: Bool, data: [UInt8])] {
        if let multicall { return try await Multicall3(address: multicall, client: client).aggregate(calls, at: block) }
        var results: [(success: Bool, data: [UInt8])] = []
        for call in calls {
            do {
                results.append((true, try await client.call(CallRequest(to: call.target, data: call.data), at: block)))
            } catch .reverted {
                results.append((false, []))
            }
        }
        return results
    }

    /// A call's single `uint256` answer; nil when it failed or answered anything else.
    static func uint(_ result: (success: Bool, data: [UInt8]), _ function: ABISignature) -> UInt256? {
        guard result.success, case .uint(let raw)? = try? function.decodeOutput(result.data).first else { return nil }
        return UInt256(raw)
    }

    public func tokenBalance(_ token: Address, of owner: Address) async throws -> UInt256 {
        try await ERC20(address: token, client: client).balance(of: owner)
    }

    public func tokenMetadata(_ token: Address) async throws -> (symbol: String, decimals: Int) {
        let contract = ERC20(address: token, client: client)
        return (try await contract.symbol(), try await contract.decimals())
    }

    public func subscriptionState(_ contract: Address, of user: Address) async throws -> SubscriptionContract.State {
        try await SubscriptionContract(address: contract, client: client).state(of: user, multicall: multicall)
    }

    public func subscriptionTerms(_ contract: Address) async throws -> (paused: Bool, price: UInt256) {
        let subscription = SubscriptionContract(address: contract, client: client)
        return (try await subscription.isPaused(), try await subscription.price())
    }

    public func accepts(_ signature: [UInt8], of hash: Hash32, by contract: Address) async throws(ChainError) -> Bool {
        try await ERC1271(address: contract, client: client).accepts(signature, of: hash)
    }

    public func mintFee(_ contract: Address) async throws -> UInt256 {
        try await NFTContract(address: contract, client: client).mintFee()
    }
}

/// The outcome of `body` as a value, for reads asked at once (`async let`) whose failures are kept apart.
private func result<Value: Sendable>(_ body: @Sendable () async throws(ChainError) -> Value) async -> Result<Value, ChainError> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
