import Ethereum

/// Suggested fees for the next block.
public struct FeeSuggestion: Sendable, Equatable {
    /// The base fee the next block is expected to have (never below the network's minimum).
    public let baseFee: UInt256
    public let maxPriorityFeePerGas: UInt256
    /// 2 × base fee + priority fee: room for the base fee to rise for several blocks.
    public let maxFeePerGas: UInt256
    /// Set when the node does not support EIP-1559 fee history: use a legacy gas price.
    public let legacyGasPrice: UInt256?

    public init(baseFee: UInt256, maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256, legacyGasPrice: UInt256? = nil) {
        self.baseFee = baseFee
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.legacyGasPrice = legacyGasPrice
    }

    public var fees: Transaction.Fees {
        if let legacyGasPrice { return .legacy(gasPrice: legacyGasPrice) }
        return .dynamic(maxPriorityFeePerGas: maxPriorityFeePerGas, maxFeePerGas: maxFeePerGas)
    }

    /// The most a transaction of `gas` can cost in fees with these prices.
    public func maxFee(gas: UInt64) -> UInt256 {
        (legacyGasPrice ?? maxFeePerGas).multiplied(by: UInt256(gas)) ?? .max
    }
}

/// EIP-1559 fee suggestion from `eth_feeHistory`: the next block's base fee (at least the
/// network's minimum, 50 gwei on Sonic) and the median priority fee paid in recent blocks.
/// Nodes without fee history get a legacy gas price instead.
public struct FeeAdvisor: Sendable {
    let client: RPCClient
    let minimumBaseFee: UInt256
    let blocks: UInt64

    public init(client: RPCClient, minimumBaseFee: UInt256, blocks: UInt64 = 10) {
        self.client = client
        self.minimumBaseFee = minimumBaseFee
        self.blocks = blocks
    }

    public func suggest() async throws(ChainError) -> FeeSuggestion {
        let history: FeeHistory
        do {
            history = try await client.feeHistory(blocks: blocks, percentiles: [50])
        } catch {
            guard case .rpc(_, _, let code, _, _) = error, code == -32601 else { throw error }
            let price = max(try await client.gasPrice(), minimumBaseFee)
            return FeeSuggestion(baseFee: price, maxPriorityFeePerGas: .zero, maxFeePerGas: price, legacyGasPrice: price)
        }
        let nextBase = history.baseFeePerGas.last?.value ?? .zero
        let baseFee = max(nextBase, minimumBaseFee)
        let paid = (history.reward ?? []).compactMap { $0.first?.value }.filter { $0 > .zero }.sorted()
        let priority = paid.isEmpty ? (try await client.maxPriorityFeePerGas()) : paid[paid.count / 2]
        let cap = baseFee.multiplied(by: 2).flatMap { $0.adding(priority) } ?? .max
        return FeeSuggestion(baseFee: baseFee, maxPriorityFeePerGas: priority, maxFeePerGas: cap, legacyGasPrice: nil)
    }
}

/// The gas a transaction is sent with: the node's estimate and a margin for state that changes
/// before it is mined. An estimate beyond any block's gas is an invalid answer (a broken or
/// hostile node), never an overflow.
public enum GasLimit {
    /// No block holds more: 2^40 gas (Sonic's blocks hold about 2^30).
    public static let maximum: UInt64 = 1 << 40

    /// `estimate` plus `margin` of it (0.2: a fifth more).
    /// - Throws: `ChainError.invalidResponse` when `estimate` is beyond `maximum`.
    public static func withMargin(_ estimate: UInt64, margin: Double) throws(ChainError) -> UInt64 {
        guard estimate <= maximum, margin >= 0, margin <= 10 else {
            throw .invalidResponse(endpoint: "the node", method: "eth_estimateGas",
                                   reason: "an estimate of \(estimate) gas is more than any block holds (\(maximum))")
        }
        return estimate + UInt64((Double(estimate) * margin).rounded(.down))
    }
}
