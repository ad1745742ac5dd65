import Ethereum
import Foundation
import Logging
import SonicChain
import SonicConfig
import SonicStore

/// Prepares transfers for the wallet, broadcasts what it signed, and tracks transactions.
public struct TransactionService: Sendable {
    let context: ChainContext
    /// The tracked transactions, nil without a database.
    let repository: (any TransactionRepository)?
    let balances: BalanceService
    /// The same transactions read on the spot, where the database is a local file (SQLite).
    var immediate: (any ImmediateTransactionReads)?
    /// Hashes the node does not know that one client may have tracked at once.
    var unknownPerClient = 5
    /// Seconds such a hash is kept (`TransactionWatcher.unknownDropAfter`), said in the refusal.
    var unknownSeconds: Double = 60
    /// Any ERC-20 token by contract address (its decimals read on chain); without it, the
    /// verified tokens only.
    var tokens: TokenService? = nil

    /// A transfer of `amount` (decimal text, at most the token's decimals) of `token` (S when
    /// nil; a verified symbol, a contract address, or the symbol of one of the sender's tokens),
    /// previewed; refused when the balance cannot pay the amount and the fee, and when coins sent
    /// to `to` could not be recovered (`RecipientWarning`) unless each such code is in
    /// `acknowledged`. The prepared transaction lists those codes in `warnings`, and names a
    /// token off the verified list as unverified, with its address.
    public func prepareTransfer(from: Address, to: Address, amount amountText: String, token: String?,
                                acknowledged: Set<RecipientWarning> = []) async throws(AppError) -> PreparedTransaction {
        var warnings = context.warnings(for: to)
        // Sent to the contract of the very token sent (verified ones are in `warnings` already).
        if warnings.isEmpty, let token, (try? Address(token)) == to { warnings = [.tokenContract] }
        if let missing = warnings.first(where: { !acknowledged.contains($0) }) {
            throw AppError.invalidInput(field: "acknowledge", summary: "Unrecoverable recipient",
                                        detail: "to: \(missing.sentence(to)) Acknowledge \"\(missing.rawValue)\" to prepare it anyway")
        }
        var prepared = try await prepareAcknowledged(from: from, to: to, amount: amountText, token: token)
        prepared.warnings = warnings
        return prepared
    }

    private func prepareAcknowledged(from: Address, to: Address, amount amountText: String, token: String?) async throws(AppError) -> PreparedTransaction {
        let symbol = (token ?? context.network.nativeSymbol).uppercased()
        if symbol == context.network.nativeSymbol {
            let amount = try Validate.amount(amountText, decimals: 18, symbol: symbol, field: "amount")
            // Read once: the cheap check before estimating, then the exact one with the fee.
            let available = try await context.nativeBalance(of: from)
            try context.require(available, covers: amount, for: "the amount and the fee", field: "amount")
            let prepared = try await PreparedTransaction.make(CallRequest(from: from, to: to, value: amount), summary:
                "Send \(Units.exact(amount, decimals: 18)) \(symbol) to \(to.checksummed)", context: context)
            try context.require(available, covers: amount.adding(prepared.maxFee) ?? .max, for: "the amount and the fee", field: "amount")
            return prepared
        }
        let token = try await (tokens ?? TokenService(context: context, repository: nil)).resolve(token ?? "", for: from)
        let amount = try Validate.amount(amountText, decimals: token.decimals, symbol: token.symbol, field: "amount")
        let held: UInt256
        do { held = try await context.chain.tokenBalance(token.address, of: from) } catch { throw AppError.chain(error, what: "a token contract") }
        guard held >= amount else {
            throw AppError.insufficientBalance(field: "amount", detail: "not enough \(token.named): \(Units.format(amount, decimals: token.decimals)) needed, "
                                                + "\(Units.format(held, decimals: token.decimals)) available")
        }
        let call: CallRequest
        do { call = try ERC20.transferRequest(token: token.address, to: to, amount: amount, from: from) } catch {
            throw AppError.internalFailure(detail: "the transfer could not be encoded")
        }
        var prepared = try await PreparedTransaction.make(call, summary: "Send \(Units.exact(amount, decimals: token.decimals)) \(token.named) to \(to.checksummed)",
                                                          context: context)
        if !token.verified { prepared.note(.unverifiedToken, TokenService.unverifiedSentence(token)) }
        try await context.require(try context.nativeBalance(of: from), covers: prepared.maxFee, for: "the fee", field: "from")
        return prepared
    }

    public struct Sent: Sendable, Equatable {
        public let hash: Hash32
        public let from: Address
        public let nonce: UInt64
        public let state: TrackedTransaction.State
    }

    /// A transaction the wallet signed: decoded, its chain id and signature checked, broadcast
    /// and tracked.
    public func send(raw: [UInt8]) async throws(AppError) -> Sent {
        let signed: SignedTransaction
        do { signed = try SignedTransaction.decode(raw) } catch {
            throw .invalidInput(field: "raw", summary: "Invalid transaction", detail: "raw: \(error)")
        }
        guard signed.transaction.chainID == context.network.chainID else {
            let got = signed.transaction.chainID.map(String.init) ?? "none (not EIP-155 protected)"
            throw .invalidInput(field: "raw", summary: "Wrong chain",
                                detail: "raw: signed for chain id \(got); this is \(context.network.name), chain id \(context.network.chainID)")
        }
        // Stored as SQLite's 64-bit signed integer: a nonce no account reaches is refused here.
        guard signed.transaction.nonce <= Quantity.maximum else {
            throw .invalidInput(field: "raw", summary: "Invalid transaction", detail: "raw: nonce \(signed.transaction.nonce) is beyond 2^63 - 1")
        }
        let hash: Hash32
        do { hash = try await context.broadcaster.sendRawTransaction(raw) } catch { throw AppError(error) }
        try await trackQuietly(TrackedTransaction(hash: hash, sender: signed.sender, nonce: signed.transaction.nonce, createdAt: context.clock.now(),
                                                  updatedAt: context.clock.now()))
        return Sent(hash: hash, from: signed.sender, nonce: signed.transaction.nonce, state: .pending)
    }

    /// Follows a transaction the wallet broadcast itself; answers its state now. Until the node
    /// is seen to know it (the watcher asks, in batches), it counts as one of `client`'s (who
    /// asks, `ip:…`) `unknownPerClient` hashes, and it is dropped if the node never knows it
    /// (ours may lag the wallet's, so it is kept a while). Past that share the node is asked at
    /// once, and only a hash it knows is taken.
    /// - Throws: `AppError.rateLimited` when the client has its share and the node does not know the hash.
    public func track(_ hash: Hash32, client: String) async throws(AppError) -> TransactionStatus {
        if let tracked = try await trackedStatus(hash) { return tracked }
        let now = context.clock.now()
        let provisional = TrackedTransaction(hash: hash, sender: nil, nonce: nil, createdAt: now, updatedAt: now, unknownClient: client)
        let kept = try await storeCall { () async throws(StoreError) in try await repository?.trackUnknown(provisional, limit: unknownPerClient) ?? true }
        if !kept {
            // A node that does not answer cannot vouch for it.
            guard (try? await context.chain.knows(hash)) == true else {
                throw .rateLimited(retryAfter: Int(unknownSeconds.rounded(.up)), detail: "hash \(hash) is not known to the node; at most "
                                   + "\(unknownPerClient) such hashes are tracked per client at once, each for \(Int(unknownSeconds)) s unless the node learns of it")
            }
            try await trackQuietly(TrackedTransaction(hash: hash, sender: nil, nonce: nil, createdAt: now, updatedAt: now))
        }
        return try await status(hash)
    }

    /// The tracked state of `hash`; a hash we do not track is looked up on the chain.
    public func status(_ hash: Hash32) async throws(AppError) -> TransactionStatus {
        if let tracked = try await trackedStatus(hash) { return tracked }
        return try await chainStatus(hash)
    }

    /// The state of a hash we do not track, from the node: its receipt, or whether it knows it.
    public func chainStatus(_ hash: Hash32) async throws(AppError) -> TransactionStatus {
        do {
            if let receipt = try await context.chain.receipt(hash) {
                return TransactionStatus(TransactionWatcher.final(hash: hash, receipt: receipt, reason: nil), network: context.network)
            }
            if try await context.chain.knows(hash) {
                return TransactionStatus(TrackedTransaction(hash: hash, sender: nil, nonce: nil), network: context.network)
            }
        } catch {
            throw AppError(error)
        }
        return TransactionStatus.unknown(hash.description)
    }

    /// `trackedStatus` without waiting, where the database answers on the spot (a local file);
    /// nil when we do not track `hash` or the database cannot answer without a wait.
    public func immediateTrackedStatus(_ hash: Hash32) throws(AppError) -> TransactionStatus? {
        guard let immediate else { return nil }
        return try storeCall { () throws(StoreError) in try immediate.trackedTransaction(hash) }.map { TransactionStatus($0, network: context.network) }
    }

    /// The state of `hash` when we track it, read from the store alone; nil when we do not.
    public func trackedStatus(_ hash: Hash32) async throws(AppError) -> TransactionStatus? {
        try await storeCall { () async throws(StoreError) in try await repository?.trackedTransaction(hash) }
            .map { TransactionStatus($0, network: context.network) }
    }

    /// Watches `hash` for a long-poll (one the node knows), writing only when it is not tracked yet.
    public func watch(_ hash: Hash32) async throws(AppError) {
        try await trackQuietly(TrackedTransaction(hash: hash, sender: nil, nonce: nil, createdAt: context.clock.now(), updatedAt: context.clock.now()))
    }

    private func trackQuietly(_ transaction: TrackedTransaction) async throws(AppError) {
        try await storeCall { () async throws(StoreError) in try await repository?.track(transaction) }
    }
}

/// What GET /api/tx/{hash} answers.
public struct TransactionStatus: Encodable, Sendable, Equatable {
    public let hash: String
    /// pending, confirmed, failed, dropped, replaced, cancelled or unknown.
    public let status: String
    public let block: UInt64?
    public let gasUsed: UInt64?
    public let feeWei: String?
    public let fee: String?
    public let reason: String?
    public let explorerUrl: String?
    /// The transaction of the same sender and nonce mined instead (replaced, cancelled), which
    /// is followed in its turn; absent otherwise, and when the node could not say which.
    public let replacedBy: String?

    enum CodingKeys: String, CodingKey {
        case hash, status, block, gasUsed = "gas_used", feeWei = "fee_wei", fee, reason, explorerUrl = "explorer_url", replacedBy = "replaced_by"
    }

    public init(_ tracked: TrackedTransaction, network: Network) {
        hash = tracked.hash.description
        status = tracked.state.rawValue
        block = tracked.block
        gasUsed = tracked.gasUsed
        feeWei = tracked.feeWei?.description
        fee = tracked.feeWei.map { Units.format($0, decimals: 18) }
        reason = tracked.reason
        explorerUrl = network.explorerLink(transaction: hash)
        replacedBy = tracked.replacedBy?.description
    }

    private init(unknownHash: String) {
        hash = unknownHash
        status = "unknown"
        block = nil
        gasUsed = nil
        feeWei = nil
        fee = nil
        reason = nil
        explorerUrl = nil
        replacedBy = nil
    }

    static func unknown(_ hash: String) -> TransactionStatus { TransactionStatus(unknownHash: hash) }
}
