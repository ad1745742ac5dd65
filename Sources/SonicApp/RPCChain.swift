import Dispatch
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

    public func chainID() throws(ChainError) -> UInt64 { try client.chainID() }
    public func blockNumber() throws(ChainError) -> UInt64 { try client.blockNumber() }
    public func balance(of address: Address, at block: BlockTag) throws(ChainError) -> UInt256 { try client.balance(of: address, at: block) }
    public func gasPrice() throws(ChainError) -> UInt256 { try client.gasPrice() }
    public func suggestFees() throws(ChainError) -> FeeSuggestion { try fees.suggest() }
    public func receipt(_ hash: Hash32) throws(ChainError) -> Receipt? { try client.receipt(hash) }
    public func knows(_ hash: Hash32) throws(ChainError) -> Bool { try client.transaction(hash) != nil }
    public func isUnreachable(within seconds: Double) -> Bool { client.isUnreachable(within: seconds) }
    public func sendRawTransaction(_ raw: [UInt8]) throws(ChainError) -> Hash32 { try client.sendRawTransaction(raw) }

    public func preview(_ request: CallRequest) -> (nonce: Result<UInt64, ChainError>, gas: Result<UInt64, ChainError>) {
        // Independent reads, each a round trip: asked at once, the preview waits for the slower.
        let client = client
        let from = request.from!  // a preview is always of a sender's call
        let (nonce, gas) = concurrently({ () throws(ChainError) in try client.nonce(of: from, at: .pending) },
                                        { () throws(ChainError) in try client.estimateGas(request) })
        return (nonce, gas)
    }

    public func receipts(_ hashes: [Hash32]) throws(ChainError) -> [Result<Receipt?, ChainError>] {
        try client.batch("eth_getTransactionReceipt", hashes.map { [.string($0.description)] }, as: Receipt?.self)
    }

    public func revertReason(of hash: Hash32, block: UInt64) -> String {
        guard let transaction = try? client.transaction(hash) else { return "reverted" }
        return client.revertReason(of: transaction, block: block)
    }

    public func tokenBalances(_ tokens: [Address], of owner: Address, at block: UInt64) throws -> [UInt256?] {
        let calls = try tokens.map { (target: $0, data: try ERC20.balanceOf.calldata([.address(owner)])) }
        let results: [(success: Bool, data: [UInt8])]
        if let multicall {
            results = try Multicall3(address: multicall, client: client).aggregate(calls, at: .number(block))
        } else {
            results = try calls.map { (success: true, data: try client.call(CallRequest(to: $0.target, data: $0.data), at: .number(block))) }
        }
        return results.map { result in
            guard result.success, case .uint(let raw)? = try? ERC20.balanceOf.decodeOutput(result.data).first else { return nil }
            return UInt256(raw)
        }
    }

    public func tokenBalance(_ token: Address, of owner: Address) throws -> UInt256 {
        try ERC20(address: token, client: client).balance(of: owner)
    }

    public func subscriptionState(_ contract: Address, of user: Address) throws -> SubscriptionContract.State {
        try SubscriptionContract(address: contract, client: client).state(of: user, multicall: multicall)
    }

    public func subscriptionTerms(_ contract: Address) throws -> (paused: Bool, price: UInt256) {
        let subscription = SubscriptionContract(address: contract, client: client)
        return (try subscription.isPaused(), try subscription.price())
    }

    public func accepts(_ signature: [UInt8], of hash: Hash32, by contract: Address) throws(ChainError) -> Bool {
        try ERC1271(address: contract, client: client).accepts(signature, of: hash)
    }

    public func mintFee(_ contract: Address) throws -> UInt256 {
        try NFTContract(address: contract, client: client).mintFee()
    }
}

/// Runs `first` and `second` at the same time (two node reads, say) and returns both outcomes.
func concurrently<A, B, Failure: Error>(
    _ first: () throws(Failure) -> A, _ second: () throws(Failure) -> B
) -> (Result<A, Failure>, Result<B, Failure>) {
    // Each iteration touches only its own closure and result, and concurrentPerform returns
    // after both: no shared state, hence the unchecked captures.
    nonisolated(unsafe) var a: Result<A, Failure>?
    nonisolated(unsafe) var b: Result<B, Failure>?
    withoutActuallyEscaping(first) { first in
        withoutActuallyEscaping(second) { second in
            nonisolated(unsafe) let (first, second) = (first, second)
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                if index == 0 { a = Result(catching: first) } else { b = Result(catching: second) }
            }
        }
    }
    return (a!, b!)
}
