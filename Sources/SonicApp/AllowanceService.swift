import BigInt
import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore

/// What an address has allowed others to spend: the ERC-20 allowances it gave (from the indexed
/// `Approval` events, each with its current `allowance` read in one Multicall3 call), and
/// previewed approvals and revokes for the wallet to sign, simulated like transfers.
public struct AllowanceService: Sendable {
    let context: ChainContext
    /// The indexed approvals, nil without a database.
    let repository: (any TokenRepository)?
    let tokens: TokenService

    /// At most this many (token, spender) pairs are listed: their allowances are one Multicall3 call.
    public static let maxListed = Multicall3.maxCalls
    /// An allowance of 2^256 - 1: the spender may move every token, now and later.
    public static let unlimited = UInt256.max

    public init(context: ChainContext, repository: (any TokenRepository)?, tokens: TokenService) {
        self.context = context
        self.repository = repository
        self.tokens = tokens
    }

    /// Who an allowance is for.
    public struct Spender: Encodable, Sendable, Equatable {
        public let address: Address
        /// Our contract's name or the router's, when it is one we know; null for any other.
        @OrNull public var name: String?

        /// "UniswapV2Router02 (0x…)", or the address alone.
        public var named: String { name.map { "\($0) (\(address.checksummed))" } ?? address.checksummed }
    }

    /// One allowance given.
    public struct Allowance: Encodable, Sendable {
        public let token: TokenService.Token
        public let spender: Spender
        /// What the spender may move now, in base units; null when the token did not answer.
        @OrNull public var allowance: UInt256?
        /// The same in whole tokens, or "unlimited" for 2^256 - 1.
        @OrNull public var formatted: String?
        public let unlimited: Bool
        /// What the last `Approval` set, and where.
        public let approved: UInt256
        public let block: UInt64
        public let hash: Hash32
        public let time: UInt64

        /// Whether the spender may still move any of it.
        public var isOpen: Bool { (allowance ?? .zero) > .zero }

        enum CodingKeys: String, CodingKey { case token, spender, allowance, formatted, unlimited, approved, block, hash, time }
    }

    /// GET /api/allowances/{address}.
    public struct Allowances: Encodable, Sendable {
        public let owner: Address
        public let network: String
        /// Open allowances first, newest approval first within each group.
        public let allowances: [Allowance]
    }

    /// The allowances `owner` gave, from the indexed approvals, each with what it is now.
    public func allowances(of owner: Address) async throws(AppError) -> Allowances {
        let approvals = try await storeCall { () async throws(StoreError) in try await repository?.latestApprovals(of: owner, limit: Self.maxListed) ?? [] }
        let described = try await tokens.describe(approvals.map(\.token))
        let listed = approvals.filter { described[$0.token] != nil }
        let current: [UInt256?]
        do {
            current = listed.isEmpty ? [] : try await context.chain.allowances(listed.map { ($0.token, $0.spender) }, of: owner)
        } catch {
            throw AppError.chain(error, what: "a token contract")
        }
        let allowances = zip(listed, current).map { approval, now in
            let token = described[approval.token]!
            return Allowance(token: token, spender: spender(approval.spender), allowance: now, formatted: now.map { Self.format($0, token) },
                             unlimited: now == Self.unlimited, approved: approval.valueWei, block: approval.block, hash: approval.hash, time: approval.time)
        }
        // Stable: open ones first, each group in the store's order (newest first).
        let ordered = allowances.filter(\.isOpen) + allowances.filter { !$0.isOpen }
        return Allowances(owner: owner, network: context.network.name, allowances: ordered)
    }

    /// `spender`, named when it is one of our contracts (the deployment file's) or the network's
    /// V2 router.
    public func spender(_ address: Address) -> Spender {
        if address == context.network.defi.router?.address { return Spender(address: address, name: "V2 router") }
        let name = context.deployments?.contracts.sorted { $0.key < $1.key }.first { $0.value.address == address }?.key
        return Spender(address: address, name: name)
    }

    /// An approval of `amount` (decimal text in the token's units) of `token` for `spender` to
    /// move from `from`, previewed; or of everything (2^256 - 1) when `unlimited`, with a notice.
    /// - Throws: `invalidInput` naming the field: no amount and not unlimited, both, a zero or
    ///   over-precise amount, an unknown token or a bad spender.
    public func prepareApprove(from: Address, token text: String, spender spenderText: String, amount: String?, unlimited: Bool)
        async throws(AppError) -> PreparedTransaction
    {
        let spender = spender(try Validate.address(spenderText, field: "spender"))
        let token = try await tokens.resolve(text, for: from)
        let value: UInt256
        switch (amount, unlimited) {
        case (nil, false):
            throw .invalidInput(field: "amount", summary: "Missing amount",
                                detail: "amount is required: how much \(token.symbol) \(spender.named) may spend (or \"unlimited\": true, not advised)")
        case (.some, true):
            throw .invalidInput(field: "unlimited", summary: "Amount and unlimited", detail: "unlimited: give an amount or unlimited, not both")
        case (nil, true):
            value = Self.unlimited
        case (let written?, false):
            value = try Validate.amount(written, decimals: token.decimals, symbol: token.symbol, field: "amount")
        }
        let summary = unlimited
            ? "Allow \(spender.named) to spend all your \(token.named), without limit"
            : "Allow \(spender.named) to spend up to \(Units.exact(value, decimals: token.decimals)) \(token.named)"
        var prepared = try await prepare(from: from, token: token, spender: spender, value: value, summary: summary)
        if unlimited {
            prepared.note(.unlimitedAllowance, "An unlimited allowance lets \(spender.named) move every \(token.symbol) you hold, now and later, "
                          + "until you revoke it. Approve only the amount you need unless you trust it completely.")
        }
        return prepared
    }

    /// A revoke (`approve(spender, 0)`) of the allowance `from` gave `spender` at `token`, previewed.
    /// - Throws: `conflict` when there is nothing to revoke (the allowance is 0 already).
    public func prepareRevoke(from: Address, token text: String, spender spenderText: String) async throws(AppError) -> PreparedTransaction {
        let spender = spender(try Validate.address(spenderText, field: "spender"))
        let token = try await tokens.resolve(text, for: from)
        let current: UInt256?
        do { current = try await context.chain.allowances([(token.address, spender.address)], of: from).first ?? nil } catch {
            throw AppError.chain(error, what: "a token contract")
        }
        if current == .zero {
            throw .conflict(summary: "Nothing to revoke", detail: "\(spender.named) may spend none of your \(token.named) already: there is nothing to revoke")
        }
        let was = current.map { " (it may spend \($0 == Self.unlimited ? "any amount" : "\(Self.format($0, token)) \(token.symbol)") now)" } ?? ""
        return try await prepare(from: from, token: token, spender: spender, value: .zero,
                                 summary: "Revoke \(spender.named)'s allowance of your \(token.named)\(was)")
    }

    /// The approve call previewed, with the notices every approval carries.
    private func prepare(from: Address, token: TokenService.Token, spender: Spender, value: UInt256, summary: String)
        async throws(AppError) -> PreparedTransaction
    {
        let call: CallRequest
        do { call = try ERC20.approveRequest(token: token.address, spender: spender.address, amount: value, from: from) } catch {
            throw .internalFailure(detail: "the approval could not be encoded")
        }
        var prepared = try await PreparedTransaction.make(call, summary: summary, context: context)
        if !token.verified { prepared.note(.unverifiedToken, TokenService.unverifiedSentence(token)) }
        if value > .zero, spender.name == nil {
            prepared.note(.unknownSpender, "\(spender.address.checksummed) is not one of our contracts nor a router we know: "
                          + "allow only a spender you trust, since it can move these tokens without asking again.")
        }
        try context.require(try await context.nativeBalance(of: from), covers: prepared.maxFee, for: "the fee", field: "from")
        return prepared
    }

    /// An allowance in whole tokens, or "unlimited".
    static func format(_ value: UInt256, _ token: TokenService.Token) -> String {
        value == unlimited ? "unlimited" : Units.format(value, decimals: token.decimals)
    }
}
