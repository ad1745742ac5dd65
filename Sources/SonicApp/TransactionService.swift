import Ethereum
import SonicHTTP
import Foundation
import Logging
import SonicChain
import SonicConfig
import SonicStore

/// Prepares transfers for the wallet, broadcasts what it signed, and tracks transactions.
public struct TransactionService: Sendable {
    let context: ChainContext
    let balances: BalanceService

    struct PrepareBody: Decodable {
        let from: String
        let to: String
        let amount: String
        let token: String?
    }

    /// POST /api/tx/prepare: a transfer of S or a known token, previewed.
    func prepare(_ request: Request) throws(Problem) -> PreparedTransaction {
        let body = try RequestBody.decode(request, as: PrepareBody.self, fields: ["from", "to", "amount", "token"])
        return try prepareTransfer(from: try Validate.address(body.from, field: "from"), to: try Validate.address(body.to, field: "to"),
                                   amount: body.amount, token: body.token)
    }

    /// A transfer of `amount` (decimal text) of `token` (S when nil), previewed; refused when
    /// the balance cannot pay the amount and the fee.
    func prepareTransfer(from: Address, to: Address, amount amountText: String, token: String?) throws(Problem) -> PreparedTransaction {
        let symbol = (token ?? context.network.nativeSymbol).uppercased()
        let client = context.client
        if symbol == context.network.nativeSymbol {
            let amount = try Validate.amount(amountText, decimals: 18, symbol: symbol, field: "amount")
            // Read once: the cheap check before estimating, then the exact one with the fee.
            let available = try context.nativeBalance(of: from)
            try context.require(available, covers: amount, for: "the amount and the fee", field: "amount")
            let prepared = try PreparedTransaction.make(CallRequest(from: from, to: to, value: amount), summary:
                "Send \(Units.format(amount, decimals: 18)) \(symbol) to \(to.checksummed)", context: context)
            try context.require(available, covers: amount.adding(prepared.maxFee) ?? .max, for: "the amount and the fee", field: "amount")
            return prepared
        }
        guard let token = context.network.tokens.first(where: { $0.symbol == symbol }) else {
            let known = ([context.network.nativeSymbol] + context.network.tokens.map(\.symbol)).joined(separator: ", ")
            throw Problem(status: 422, title: "Unknown token", detail: "token \"\(token ?? "")\" is not one we know on \(context.network.name) (known: \(known))",
                          field: "token")
        }
        let amount = try Validate.amount(amountText, decimals: token.decimals, symbol: symbol, field: "amount")
        let erc20 = ERC20(address: token.address, client: client)
        let held: UInt256
        do { held = try erc20.balance(of: from) } catch { throw Self.problem(error) }
        guard held >= amount else {
            throw Problem(status: 422, title: "Insufficient balance",
                          detail: "not enough \(symbol): \(Units.format(amount, decimals: token.decimals)) needed, "
                            + "\(Units.format(held, decimals: token.decimals)) available", field: "amount")
        }
        let call: CallRequest
        do { call = try erc20.transferRequest(to: to, amount: amount, from: from) } catch {
            throw Problem(status: 500, title: "Internal error", detail: "the transfer could not be encoded")
        }
        let prepared = try PreparedTransaction.make(call, summary: "Send \(Units.format(amount, decimals: token.decimals)) \(symbol) to \(to.checksummed)",
                                                    context: context)
        try context.require(try context.nativeBalance(of: from), covers: prepared.maxFee, for: "the fee", field: "from")
        return prepared
    }

    struct SendBody: Decodable { let raw: String }

    public struct Sent: Encodable, Sendable {
        let hash: String
        let from: String
        let nonce: UInt64
        let status: String
    }

    /// POST /api/tx/send: decode, check chain id and signature, broadcast, track.
    func send(_ request: Request) throws(Problem) -> Sent {
        let body = try RequestBody.decode(request, as: SendBody.self, fields: ["raw"])
        let raw: [UInt8]
        do { raw = try Hex.decode(body.raw) } catch {
            throw Problem(status: 422, title: "Invalid transaction", detail: "raw: \(error)", field: "raw")
        }
        let signed: SignedTransaction
        do { signed = try SignedTransaction.decode(raw) } catch {
            throw Problem(status: 422, title: "Invalid transaction", detail: "raw: \(error)", field: "raw")
        }
        guard signed.transaction.chainID == context.network.chainID else {
            let got = signed.transaction.chainID.map(String.init) ?? "none (not EIP-155 protected)"
            throw Problem(status: 422, title: "Wrong chain", detail: "raw: signed for chain id \(got); this is \(context.network.name), chain id \(context.network.chainID)",
                          field: "raw")
        }
        let hash: Hash32
        do { hash = try context.client.sendRawTransaction(raw) } catch { throw ChainContext.problem(error) }
        try trackQuietly(TrackedTransaction(hash: hash.description, sender: signed.sender.lowercased, nonce: signed.transaction.nonce))
        return Sent(hash: hash.description, from: signed.sender.checksummed, nonce: signed.transaction.nonce, status: "pending")
    }

    struct TrackBody: Decodable { let hash: String }

    /// POST /api/tx/track: follow a transaction the wallet broadcast itself.
    func track(_ request: Request) throws(Problem) -> TransactionStatus {
        let body = try RequestBody.decode(request, as: TrackBody.self, fields: ["hash"])
        let hash = try Validate.hash(body.hash, field: "hash")
        try trackQuietly(TrackedTransaction(hash: hash.description, sender: nil, nonce: nil))
        return try status(hash)
    }

    /// The tracked state of `hash`; a hash we do not track is looked up on the chain.
    func status(_ hash: Hash32) throws(Problem) -> TransactionStatus {
        if let tracked = try storeCall({ () throws(StoreError) in try context.store?.trackedTransaction(hash.description) }) {
            return TransactionStatus(tracked, network: context.network)
        }
        do {
            if let receipt = try context.client.receipt(hash) {
                return TransactionStatus(TransactionWatcher.final(hash: hash.description, receipt: receipt, reason: nil), network: context.network)
            }
            if try context.client.transaction(hash) != nil {
                return TransactionStatus(TrackedTransaction(hash: hash.description, sender: nil, nonce: nil), network: context.network)
            }
        } catch {
            throw ChainContext.problem(error)
        }
        return TransactionStatus.unknown(hash.description)
    }

    private func trackQuietly(_ transaction: TrackedTransaction) throws(Problem) {
        try storeCall { () throws(StoreError) in try context.store?.track(transaction) }
    }

    static func problem(_ error: any Error) -> Problem {
        if let error = error as? ChainError { return ChainContext.problem(error) }
        return Problem(status: 502, title: "Bad answer from the node", detail: "a token contract gave an unexpected answer")
    }
}

/// A store failure as an HTTP problem: the database is unavailable, try again.
func storeCall<Value>(_ body: () throws(StoreError) -> Value) throws(Problem) -> Value {
    do { return try body() } catch {
        logger.error("\(error)")
        throw Problem(status: 503, title: "Database unavailable", detail: "the service cannot read or write its database right now")
    }
}

/// What GET /api/tx/{hash} answers.
public struct TransactionStatus: Encodable, Sendable, Equatable {
    public let hash: String
    /// pending, confirmed, failed, dropped or unknown.
    public let status: String
    public let block: UInt64?
    public let gasUsed: UInt64?
    public let feeWei: String?
    public let fee: String?
    public let reason: String?
    public let explorerUrl: String?

    enum CodingKeys: String, CodingKey {
        case hash, status, block, gasUsed = "gas_used", feeWei = "fee_wei", fee, reason, explorerUrl = "explorer_url"
    }

    init(_ tracked: TrackedTransaction, network: Network) {
        hash = tracked.hash
        status = tracked.state.rawValue
        block = tracked.block
        gasUsed = tracked.gasUsed
        feeWei = tracked.feeWei
        fee = tracked.feeWei.flatMap { try? UInt256(parsing: $0) }.map { Units.format($0, decimals: 18) }
        reason = tracked.reason
        explorerUrl = network.explorerLink(transaction: tracked.hash)
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
    }

    static func unknown(_ hash: String) -> TransactionStatus { TransactionStatus(unknownHash: hash) }
}
