import Ethereum
import SonicApp
import SonicConfig
import SonicStore

/// What GET /api/history/{address} answers: one page, newest first.
struct HistoryPageResponse: Encodable {
    let address: Address
    let entries: [HistoryEntryResponse]
    /// The cursor of the next page; null on the last.
    let nextCursor: String?
    /// The last block the indexer has written; null before its first.
    let indexedBlock: UInt64?

    enum CodingKeys: String, CodingKey {
        case address, entries, nextCursor = "next_cursor", indexedBlock = "indexed_block"
    }

    init(_ page: HistoryService.Page, network: Network) {
        address = page.address
        entries = page.entries.map { HistoryEntryResponse($0, network: network) }
        nextCursor = page.next?.description
        indexedBlock = page.indexedBlock
    }

    /// Every key is written; an absent value is null.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(address, forKey: .address)
        try container.encode(entries, forKey: .entries)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encode(indexedBlock, forKey: .indexedBlock)
    }
}

/// One history entry as the API shows it, in JSON and as a CSV row: exact amounts (decimal
/// strings of the base unit) beside formatted ones, addresses checksummed, the hash lower-case.
struct HistoryEntryResponse: Encodable {
    let time: String
    let hash: Hash32
    let block: UInt64
    let timestamp: UInt64
    let type: String
    let direction: String
    let counterparty: Address?
    let amount: String
    let token: String
    let tokenAddress: Address?
    let tokenDecimals: Int
    let tokenID: UInt256?
    let nftContract: Address?
    let amountWei: UInt256
    let fee: String?
    let feeWei: UInt256?
    let status: String
    let reason: String?
    let method: String?
    let explorerURL: String?

    /// The keys, in the CSV export's column order.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case time, hash, block, timestamp, type, direction, counterparty, amount, token, tokenAddress = "token_address"
        case tokenDecimals = "token_decimals", tokenID = "token_id", nftContract = "nft_contract", amountWei = "amount_wei", fee
        case feeWei = "fee_wei", status, reason, method, explorerURL = "explorer_url"
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
        explorerURL = network.explorerLink(transaction: entry.hash.description)
    }

    /// The cells of the CSV row, in `CodingKeys` order: the JSON's text, numbers as digits, null empty.
    var csvCells: [String] {
        [time, hash.description, String(block), String(timestamp), type, direction, counterparty?.checksummed ?? "", amount, token,
         tokenAddress?.checksummed ?? "", String(tokenDecimals), tokenID?.description ?? "", nftContract?.checksummed ?? "",
         amountWei.description, fee ?? "", feeWei?.description ?? "", status, reason ?? "", method ?? "", explorerURL ?? ""]
    }

    /// Every key is written; an absent value is null.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        try container.encode(hash, forKey: .hash)
        try container.encode(block, forKey: .block)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(type, forKey: .type)
        try container.encode(direction, forKey: .direction)
        try container.encode(counterparty, forKey: .counterparty)
        try container.encode(amount, forKey: .amount)
        try container.encode(token, forKey: .token)
        try container.encode(tokenAddress, forKey: .tokenAddress)
        try container.encode(tokenDecimals, forKey: .tokenDecimals)
        try container.encode(tokenID, forKey: .tokenID)
        try container.encode(nftContract, forKey: .nftContract)
        try container.encode(amountWei, forKey: .amountWei)
        try container.encode(fee, forKey: .fee)
        try container.encode(feeWei, forKey: .feeWei)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        try container.encode(method, forKey: .method)
        try container.encode(explorerURL, forKey: .explorerURL)
    }
}
