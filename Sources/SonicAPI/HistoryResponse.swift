import Ethereum
import SonicApp
import SonicConfig
import SonicStore

/// What GET /api/history/{address} answers: one page, newest first; every key is written.
struct HistoryPageResponse: Encodable {
    let address: Address
    let entries: [HistoryEntryResponse]
    /// The cursor of the next page; null on the last.
    @OrNull var nextCursor: String?
    /// The last block the indexer has written; null before its first.
    @OrNull var indexedBlock: UInt64?

    enum CodingKeys: String, CodingKey {
        case address, entries, nextCursor = "next_cursor", indexedBlock = "indexed_block"
    }

    init(_ page: HistoryService.Page, network: Network) {
        address = page.address
        entries = page.entries.map { HistoryEntryResponse($0, network: network) }
        nextCursor = page.next?.description
        indexedBlock = page.indexedBlock
    }
}

/// One history entry as the API shows it, in JSON and as a CSV row: exact amounts (decimal
/// strings of the base unit) beside formatted ones, addresses checksummed, the hash lower-case;
/// every key is written, an absent value as null.
struct HistoryEntryResponse: Encodable {
    let time: String
    let hash: Hash32
    let block: UInt64
    let timestamp: UInt64
    let type: String
    let direction: String
    @OrNull var counterparty: Address?
    let amount: String
    let token: String
    @OrNull var tokenAddress: Address?
    let tokenDecimals: Int
    @OrNull var tokenID: UInt256?
    @OrNull var nftContract: Address?
    let amountWei: UInt256
    @OrNull var fee: String?
    @OrNull var feeWei: UInt256?
    let status: String
    @OrNull var reason: String?
    @OrNull var method: String?
    /// The validator a staking entry is about, and the withdrawal request of an unstake or a withdrawal.
    @OrNull var validator: UInt64?
    @OrNull var requestID: UInt64?
    @OrNull var explorerURL: String?
    /// Whether what moved is S or a verified token or collection of the network profile; any
    /// other contract's symbol is only what it says of itself (a look-alike may copy one).
    let verified: Bool

    /// The keys, in the CSV export's column order.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case time, hash, block, timestamp, type, direction, counterparty, amount, token, tokenAddress = "token_address"
        case tokenDecimals = "token_decimals", tokenID = "token_id", nftContract = "nft_contract", amountWei = "amount_wei", fee
        case feeWei = "fee_wei", status, reason, method, validator, requestID = "request_id", explorerURL = "explorer_url", verified
    }

    init(_ entry: ActivityEntry, network: Network) {
        time = HistoryService.iso(entry.time)
        hash = entry.hash
        block = entry.block
        timestamp = entry.time
        type = entry.kind.rawValue
        direction = entry.direction.rawValue
        counterparty = entry.counterparty
        amount = Units.format(entry.amountWei, decimals: entry.tokenDecimals)
        token = entry.tokenSymbol
        tokenAddress = entry.tokenAddress
        tokenDecimals = entry.tokenDecimals
        tokenID = entry.tokenID
        nftContract = entry.nftContract
        amountWei = entry.amountWei
        fee = entry.feeWei.map { Units.format($0, decimals: 18) }
        feeWei = entry.feeWei
        status = entry.status.rawValue
        reason = entry.reason
        method = entry.method
        validator = entry.validator
        requestID = entry.requestID
        explorerURL = network.explorerLink(transaction: entry.hash.description)
        verified = entry.isVerified(on: network)
    }

    /// The cells of the CSV row, in `CodingKeys` order: the JSON's text, numbers as digits, null empty.
    var csvCells: [String] {
        [time, hash.description, String(block), String(timestamp), type, direction, counterparty?.checksummed ?? "", amount, token,
         tokenAddress?.checksummed ?? "", String(tokenDecimals), tokenID?.description ?? "", nftContract?.checksummed ?? "",
         amountWei.description, fee ?? "", feeWei?.description ?? "", status, reason ?? "", method ?? "",
         validator.map(String.init) ?? "", requestID.map(String.init) ?? "", explorerURL ?? "", String(verified)]
    }
}
