import Ethereum
import Foundation
import SonicChain

/// The network's fees over its last blocks (`eth_feeHistory`), for the picture beside the gas
/// answer: each block's base fee, how full it was and the median priority fee paid in it.
/// Asked of the node at most once per block count per `SONIC_BALANCE_TTL`.
public struct FeeHistoryService: Sendable {
    let context: ChainContext
    private let cache: ReadCache<Report>

    /// The most blocks one request may ask for, and the number given when none is asked.
    public static let maxBlocks = 100
    public static let defaultBlocks = 20

    public struct Report: Sendable, Equatable {
        public struct Block: Sendable, Equatable {
            public let number: UInt64
            public let baseFee: UInt256
            /// The share of the block's gas limit used, in whole percent.
            public let gasUsedPercent: Int
            /// The median priority fee paid in the block; nil when the node does not say.
            public let priorityFee: UInt256?
        }

        public let blocks: [Block]
        /// The base fee the next block will charge.
        public let nextBaseFee: UInt256
    }

    init(context: ChainContext, ttl: Double) {
        self.context = context
        cache = ReadCache(ttl: ttl)
    }

    /// The last `blocks` blocks' fees, oldest first (fewer on a chain that young).
    public func report(blocks: Int) async throws(AppError) -> Report {
        let now = context.clock.now().timeIntervalSince1970
        return try await cache.value("fees-\(blocks)", now: now) { () async throws(AppError) -> Report in
            let history: FeeHistory
            do throws(ChainError) { history = try await context.chain.feeHistory(blocks: UInt64(blocks)) } catch { throw AppError(error) }
            return try Self.report(history)
        }
    }

    /// The node's answer as blocks; one whose lists disagree in length is a bad answer, not a picture.
    static func report(_ history: FeeHistory) throws(AppError) -> Report {
        let count = history.gasUsedRatio.count
        guard history.baseFeePerGas.count == count + 1, history.reward.map({ $0.count == count }) ?? true else {
            throw .badUpstream(summary: "Bad fee history", detail: "the node's fee history lists \(count) blocks but \(history.baseFeePerGas.count) base fees")
        }
        let blocks = (0..<count).map { index in
            Report.Block(number: history.oldestBlock.value + UInt64(index), baseFee: history.baseFeePerGas[index].value,
                         gasUsedPercent: Int((min(max(history.gasUsedRatio[index], 0), 1) * 100).rounded()),
                         priorityFee: history.reward?[index].first?.value)
        }
        return Report(blocks: blocks, nextBaseFee: history.baseFeePerGas[count].value)
    }
}
