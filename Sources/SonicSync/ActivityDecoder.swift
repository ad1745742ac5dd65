import Ethereum
import SonicChain
import SonicConfig
import SonicStore

/// What the indexer knows about contracts, to name what a transaction did.
public struct Catalog: Sendable {
    /// A fungible token (ERC-20) or a collection (ERC-721, decimals 0).
    public struct Token: Sendable, Equatable {
        public let symbol: String
        public let decimals: Int

        public init(symbol: String, decimals: Int) {
            self.symbol = symbol
            self.decimals = decimals
        }
    }

    public var nativeSymbol: String
    public var tokens: [Address: Token]
    public var nftContract: Address?
    public var subscriptionContract: Address?
    /// The network's SFC, wrapped S and V2 router (`Network.defi`): their events say what S they
    /// took or paid out, which is no transaction's top-level value.
    public var sfc: Address?
    public var wrappedNative: Address?
    public var router: Address?

    public init(nativeSymbol: String = "S", tokens: [Address: Token] = [:], nftContract: Address? = nil, subscriptionContract: Address? = nil,
                sfc: Address? = nil, wrappedNative: Address? = nil, router: Address? = nil) {
        self.nativeSymbol = nativeSymbol
        self.tokens = tokens
        self.nftContract = nftContract
        self.subscriptionContract = subscriptionContract
        self.sfc = sfc
        self.wrappedNative = wrappedNative
        self.router = router
    }

    /// Method names by selector, from the ABIs of the contracts we ship and the token standards.
    static let methods: [[UInt8]: String] = {
        let signatures = [
            "transfer(address,uint256)", "approve(address,uint256)", "transferFrom(address,address,uint256)",
            "safeTransferFrom(address,address,uint256)", "safeTransferFrom(address,address,uint256,bytes)",
            "setApprovalForAll(address,bool)", "mint(address,string)", "purchase(uint256)", "withdraw(address)",
            "set_price(uint256)", "set_paused(bool)", "set_mint_fee(uint256)", "transfer_ownership(address)",
            "renounce_ownership()", "aggregate3((address,bool,bytes)[])", "deposit()", "withdraw(uint256)",
            "delegate(uint256)", "undelegate(uint256,uint256,uint256)", "withdraw(uint256,uint256)", "claimRewards(uint256)",
            "restakeRewards(uint256)", "swapExactETHForTokens(uint256,address[],address,uint256)",
            "swapExactTokensForETH(uint256,uint256,address[],address,uint256)",
            "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
            "swapTokensForExactETH(uint256,uint256,address[],address,uint256)",
        ]
        return Dictionary(signatures.map { (Array(Keccak256.hash($0).prefix(4)), String($0.prefix { $0 != "(" })) },
                          uniquingKeysWith: { first, _ in first })
    }()

    static let transferTopic = Hash32.keccak(Array("Transfer(address,address,uint256)".utf8))
    /// ERC-20's `Approval(owner, spender, value)` (ERC-721's has the same topic and a fourth one).
    static let approvalTopic = Hash32.keccak(Array("Approval(address,address,uint256)".utf8))
    static let mintedTopic = Hash32.keccak(Array("Minted(address,uint256,string)".utf8))
    static let zeroAddress = try! Address(bytes: [UInt8](repeating: 0, count: 20))
}

/// A mined transaction with its receipt (and, for a failure, why it reverted).
public struct MinedTransaction: Sendable {
    public let transaction: TransactionInfo
    public let receipt: Receipt
    public let reason: String?

    public init(transaction: TransactionInfo, receipt: Receipt, reason: String?) {
        self.transaction = transaction
        self.receipt = receipt
        self.reason = reason
    }
}

/// Turns mined transactions into what each address's history shows. Pure: no node, no store.
public struct ActivityDecoder: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) { self.catalog = catalog }

    /// The decoded form of one transaction.
    public struct Decoded: Sendable {
        public var transaction: IndexedTransaction
        public var entries: [ActivityEntry]
        public var nftTransfers: [NFTTransferRecord]
        public var approvals: [TokenApproval] = []
    }

    /// Decodes `mined`, mined at `time`, keeping entries only for addresses `keep` accepts.
    public func decode(_ mined: MinedTransaction, time: UInt64, keep: (Address) -> Bool = { _ in true }) -> Decoded {
        let transaction = mined.transaction, receipt = mined.receipt
        let hash = receipt.transactionHash
        let block = receipt.blockNumber.value
        let txIndex = Int(transaction.transactionIndex?.value ?? 0)
        let sender = transaction.from
        let recipient = transaction.to
        let value = transaction.value.value
        let succeeded = receipt.succeeded
        let status: ActivityEntry.Status = succeeded ? .confirmed : .failed
        let reason = succeeded ? nil : (mined.reason ?? "reverted")
        let input = transaction.input.bytes
        let method = input.count >= 4 ? Catalog.methods[Array(input.prefix(4))] : nil

        // The transaction itself, for its sender and its recipient.
        let kind: ActivityEntry.Kind
        var counterpartyOfSender = recipient
        if recipient == nil {
            kind = .contractCreation
            counterpartyOfSender = receipt.contractAddress
        } else if input.isEmpty {
            kind = .transfer
        } else if recipient == catalog.nftContract, method == "mint" {
            kind = .nftMint
        } else if recipient == catalog.subscriptionContract, method == "purchase" {
            kind = .subscription
        } else {
            kind = .contractCall
        }
        func topLevel(_ address: Address, direction: ActivityEntry.Direction, counterparty: Address?, fee: UInt256?) -> ActivityEntry {
            ActivityEntry(address: address, block: block, txIndex: txIndex, seq: -1, hash: hash, time: time, kind: kind, direction: direction,
                          counterparty: counterparty, amountWei: value, tokenSymbol: catalog.nativeSymbol, tokenDecimals: 18,
                          feeWei: fee, status: status, reason: reason, method: kind == .transfer ? nil : method)
        }
        var entries: [ActivityEntry] = []
        if keep(sender) {
            entries.append(topLevel(sender, direction: recipient == sender ? .own : .outgoing, counterparty: counterpartyOfSender,
                                    fee: receipt.fee))
        }
        if let recipient, recipient != sender, keep(recipient) {
            entries.append(topLevel(recipient, direction: .incoming, counterparty: sender, fee: nil))
        }

        // What its events moved.
        var events: [ActivityEntry] = []
        var nftTransfers: [NFTTransferRecord] = []
        var approvals: [TokenApproval] = []
        if succeeded {
            let mintedURIs = mintedURIs(receipt.logs)
            for log in receipt.logs {
                if let moved = defiEntry(log, transaction: transaction, method: method) {
                    if keep(moved.address) {
                        events.append(ActivityEntry(address: moved.address, block: block, txIndex: txIndex, seq: Int(log.logIndex.value), hash: hash,
                                                    time: time, kind: moved.kind, direction: moved.direction, counterparty: log.address,
                                                    amountWei: moved.amount, tokenSymbol: catalog.nativeSymbol, tokenDecimals: 18, status: status,
                                                    validator: moved.validator, requestID: moved.request))
                    }
                    continue
                }
                if let given = approval(log) {
                    guard keep(given.owner) else { continue }
                    let token = catalog.tokens[log.address]
                    let logIndex = Int(log.logIndex.value)
                    approvals.append(TokenApproval(owner: given.owner, token: log.address, spender: given.spender, block: block, logIndex: logIndex,
                                                   valueWei: given.value, hash: hash, time: time))
                    // A line of the history when the owner called the token itself (approve); an
                    // allowance lowered by a spender's transferFrom (a swap) is only indexed.
                    guard sender == given.owner, recipient == log.address else { continue }
                    events.append(ActivityEntry(address: given.owner, block: block, txIndex: txIndex, seq: logIndex, hash: hash, time: time,
                                                kind: .tokenApproval, direction: .outgoing, counterparty: given.spender, amountWei: given.value,
                                                tokenSymbol: token?.symbol ?? "?", tokenAddress: log.address, tokenDecimals: token?.decimals ?? 0,
                                                status: status))
                    continue
                }
                guard let decoded = transfer(log) else { continue }
                let contract = log.address
                let token = catalog.tokens[contract]
                let logIndex = Int(log.logIndex.value)
                if let tokenID = decoded.tokenID {
                    nftTransfers.append(NFTTransferRecord(
                        contract: contract, tokenID: tokenID, block: block, logIndex: logIndex, sender: decoded.from,
                        receiver: decoded.to, tokenURI: decoded.from == Catalog.zeroAddress ? mintedURIs[tokenID] : nil,
                        hash: hash, time: time))
                }
                let eventKind: ActivityEntry.Kind = decoded.tokenID == nil ? .tokenTransfer
                    : (decoded.from == Catalog.zeroAddress ? .nftMint : .nftTransfer)
                func event(_ address: Address, _ direction: ActivityEntry.Direction, _ counterparty: Address) -> ActivityEntry {
                    ActivityEntry(address: address, block: block, txIndex: txIndex, seq: logIndex, hash: hash, time: time, kind: eventKind,
                                  direction: direction, counterparty: counterparty,
                                  amountWei: decoded.tokenID == nil ? decoded.amount : 1,
                                  tokenSymbol: token?.symbol ?? "?", tokenAddress: contract,
                                  tokenDecimals: decoded.tokenID == nil ? (token?.decimals ?? 0) : 0,
                                  nftContract: decoded.tokenID == nil ? nil : contract, tokenID: decoded.tokenID,
                                  status: status)
                }
                if decoded.from == decoded.to {
                    if keep(decoded.from) { events.append(event(decoded.from, .own, decoded.to)) }
                    continue
                }
                if decoded.from != Catalog.zeroAddress, keep(decoded.from) { events.append(event(decoded.from, .outgoing, decoded.to)) }
                if decoded.to != Catalog.zeroAddress, keep(decoded.to) {
                    // A mint's counterparty is the collection.
                    events.append(event(decoded.to, .incoming, decoded.from == Catalog.zeroAddress ? contract : decoded.from))
                }
            }
        }
        // Staking and wrapping are the transaction's own value: its line says so.
        if succeeded, let staked = topLevelKind(recipient: recipient, method: method) {
            for index in entries.indices where entries[index].seq == -1 && entries[index].address == sender {
                entries[index].kind = staked
                if staked == .stake { entries[index].validator = delegatedValidator(transaction.input.bytes) }
            }
        }
        merge(events, into: &entries)
        let indexed = IndexedTransaction(hash: hash, block: block, index: txIndex, sender: sender, recipient: recipient,
                                         valueWei: value, feeWei: receipt.fee, gasUsed: receipt.gasUsed.value,
                                         succeeded: succeeded, reason: reason)
        return Decoded(transaction: indexed, entries: entries, nftTransfers: nftTransfers, approvals: approvals)
    }

    /// One line per thing a person did: a plain contract call that only moved tokens becomes
    /// the token transfer (carrying the fee and method), and a mint the sender received
    /// enriches the mint itself.
    func merge(_ events: [ActivityEntry], into entries: inout [ActivityEntry]) {
        var remaining = events
        // A mint names the token it made, whoever received it.
        if let mint = events.first(where: { $0.kind == .nftMint && $0.direction == .incoming }) {
            for index in entries.indices where entries[index].kind == .nftMint && entries[index].seq == -1 {
                entries[index].nftContract = mint.nftContract
                entries[index].tokenID = mint.tokenID
            }
        }
        for index in entries.indices {
            let address = entries[index].address
            let own = remaining.indices.filter { remaining[$0].address == address }
            guard let first = own.first else { continue }
            let top = entries[index]
            if top.kind == .nftMint, let mint = own.first(where: { remaining[$0].kind == .nftMint && remaining[$0].direction == .incoming }) {
                remaining.remove(at: mint)
            } else if top.kind == .contractCall, top.amountWei == .zero {
                remaining[first].feeWei = top.feeWei
                remaining[first].method = top.method
                entries[index].seq = Int.min  // marked for removal
            }
        }
        entries.removeAll { $0.seq == Int.min }
        entries += remaining
    }

    /// An ERC-20 (3 topics, 32-byte amount) or ERC-721 (4 topics) Transfer.
    func transfer(_ log: Log) -> (from: Address, to: Address, amount: UInt256, tokenID: UInt256?)? {
        let topics = log.topics.map(\.bytes)
        guard topics.count >= 3, log.topics[0] == Catalog.transferTopic,
              let from = try? Address(bytes: Array(topics[1].suffix(20))), let to = try? Address(bytes: Array(topics[2].suffix(20)))
        else { return nil }
        if topics.count == 4, let tokenID = UInt256(bigEndian: topics[3]) {
            return (from, to, UInt256(1), tokenID)
        }
        guard topics.count == 3, log.data.bytes.count == 32, let amount = UInt256(bigEndian: log.data.bytes) else { return nil }
        return (from, to, amount, nil)
    }

    /// An ERC-20 Approval: 3 topics (owner, spender) and a 32-byte value; ERC-721's, with the
    /// token id as a fourth topic, is not an allowance of an amount and is left out.
    func approval(_ log: Log) -> (owner: Address, spender: Address, value: UInt256)? {
        let topics = log.topics.map(\.bytes)
        guard topics.count == 3, log.topics[0] == Catalog.approvalTopic, log.data.bytes.count == 32,
              let owner = try? Address(bytes: Array(topics[1].suffix(20))), let spender = try? Address(bytes: Array(topics[2].suffix(20))),
              let value = UInt256(bigEndian: log.data.bytes)
        else { return nil }
        return (owner, spender, value)
    }

    /// Token URIs our collection announced in `Minted` events, by token id. On-chain text is
    /// anyone's: a URI longer than our contract's 432 bytes is not stored.
    func mintedURIs(_ logs: [Log]) -> [UInt256: String] {
        var uris: [UInt256: String] = [:]
        for log in logs where log.address == catalog.nftContract {
            let topics = log.topics.map(\.bytes)
            guard topics.count == 3, log.topics[0] == Catalog.mintedTopic,
                  let tokenID = UInt256(bigEndian: topics[2]),
                  case .string(let uri)? = (try? ABI.decode(log.data.bytes, as: [.string]))?.first
            else { continue }
            if uri.utf8.count <= 432 { uris[tokenID] = uri }
        }
        return uris
    }
}

extension Catalog {
    /// What a network and its deployment file tell: known tokens, our collection and subscription
    /// (other tokens' symbols are read from the chain when first seen).
    public init(network: Network, deployments: Deployments?) {
        var tokens: [Address: Token] = [:]
        for token in network.tokens { tokens[token.address] = Token(symbol: token.symbol, decimals: token.decimals) }
        let nft = deployments?.contracts["SmartSonicNFT"]?.address
        self.init(nativeSymbol: network.nativeSymbol, tokens: tokens, nftContract: nft,
                  subscriptionContract: deployments?.contracts["SmartSonicSubscription"]?.address, sfc: network.defi.sfc?.address,
                  wrappedNative: network.defi.wrappedNative?.address, router: network.defi.router?.address)
    }
}
