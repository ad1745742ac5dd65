import Ethereum
import SonicApp

/// What GET /api/network/fees answers: fees as decimal strings of wei.
struct FeeHistoryResponse: Encodable {
    struct Block: Encodable {
        let number: UInt64
        let baseFeeWei: UInt256
        let gasUsedPercent: Int
        @OrNull var priorityFeeWei: UInt256?

        enum CodingKeys: String, CodingKey {
            case number, baseFeeWei = "base_fee_wei", gasUsedPercent = "gas_used_percent", priorityFeeWei = "priority_fee_wei"
        }
    }

    let blocks: [Block]
    let nextBaseFeeWei: UInt256

    enum CodingKeys: String, CodingKey { case blocks, nextBaseFeeWei = "next_base_fee_wei" }

    init(_ report: FeeHistoryService.Report) {
        blocks = report.blocks.map { Block(number: $0.number, baseFeeWei: $0.baseFee, gasUsedPercent: $0.gasUsedPercent, priorityFeeWei: $0.priorityFee) }
        nextBaseFeeWei = report.nextBaseFee
    }
}
