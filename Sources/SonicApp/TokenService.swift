import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore

/// Any ERC-20 token: what it says of itself (name, symbol, decimals: read once, in one
/// Multicall3 call for several, and kept in the store), the tokens an address holds (the
/// network's verified ones, every token its indexed history received or sent, and those it
/// added by contract address), with their balances read in one Multicall3 call.
///
/// A token off the network's verified list is `verified: false` and always shown with its
/// contract address: its name and symbol are only what its contract says (a look-alike may copy
/// them). That text is bounded and cleaned (`KnownToken.shown`) before it is kept, and it is
/// quoted in replies as data, never put into a language model's instructions.
public struct TokenService: Sendable {
    let context: ChainContext
    /// Kept metadata, the tokens each address saw and added; nil without a database.
    let repository: (any TokenRepository)?
    /// Tokens an address may add by hand.
    var maxAdded = 20

    /// At most this many tokens are listed for an address: the balances of all are one Multicall3 call.
    public static let maxListed = Multicall3.maxCalls

    public init(context: ChainContext, repository: (any TokenRepository)?, maxAdded: Int = 20) {
        self.context = context
        self.repository = repository
        self.maxAdded = maxAdded
    }

    /// A token as the API and the agent show it.
    public struct Token: Encodable, Sendable, Equatable {
        public let address: Address
        public let name: String
        public let symbol: String
        public let decimals: Int
        /// On the network profile's verified list; else its name and symbol are only what its contract says.
        public let verified: Bool
        /// Where a verified token's address comes from; nil for any other.
        @OrNull public var source: String?

        /// How a sentence names it: the symbol, and for an unverified token its contract.
        public var named: String { verified ? symbol : "\(symbol) (unverified token \(address.checksummed))" }

        init(_ known: KnownToken) {
            self.init(address: known.address, name: known.name, symbol: known.symbol, decimals: known.decimals, verified: true, source: known.source)
        }

        init(_ metadata: TokenMetadata) {
            self.init(address: metadata.address, name: metadata.name, symbol: metadata.symbol, decimals: metadata.decimals, verified: false, source: nil)
        }

        init(address: Address, name: String, symbol: String, decimals: Int, verified: Bool, source: String?) {
            self.address = address
            self.name = name
            self.symbol = symbol
            self.decimals = decimals
            self.verified = verified
            self.source = source
        }
    }

    /// One token an address holds, with its balance at the listing's block.
    public struct Holding: Encodable, Sendable {
        /// Why it is listed: `verified` (on the network's list), `added` (by the address), `received` (in its history).
        public enum Origin: String, Encodable, Sendable { case verified, added, received }

        public let token: Token
        public let origin: Origin
        /// Exact base units; null when the token did not answer `balanceOf`.
        @OrNull public var balance: UInt256?
        /// The balance in whole tokens, exact; null with `balance`.
        @OrNull public var formatted: String?
    }

    /// GET /api/tokens/{address}.
    public struct Holdings: Encodable, Sendable {
        public let address: Address
        public let network: String
        public let block: UInt64
        public let native: BalanceService.Amount
        public let tokens: [Holding]
        /// Tokens seen in the history that did not answer as ERC-20 tokens, left out.
        public let unreadable: [Address]
    }

    /// The tokens `owner` holds, each with its balance: verified ones, then those it added, then
    /// those its history saw (newest first), at most `maxListed`. S and the head block are one
    /// read, the token balances one Multicall3 call at that block.
    public func holdings(of owner: Address) async throws(AppError) -> Holdings {
        let verified = context.network.tokens.map(\.address)
        let added = try await storeCall { () async throws(StoreError) in try await repository?.addedTokens(of: owner) ?? [] }
        let seen = try await storeCall { () async throws(StoreError) in try await repository?.tokensSeen(by: owner, limit: Self.maxListed) ?? [] }
        var listed: [(Address, Holding.Origin)] = []
        for (addresses, origin) in [(verified, Holding.Origin.verified), (added, .added), (seen, .received)] {
            for address in addresses where !listed.contains(where: { $0.0 == address }) && listed.count < Self.maxListed {
                listed.append((address, origin))
            }
        }
        let described = try await describe(listed.map(\.0))
        let readable = listed.filter { described[$0.0] != nil }
        do {
            let (block, native) = try await context.chain.headAndBalance(of: owner)
            let balances = readable.isEmpty ? [] : try await context.chain.tokenBalances(readable.map(\.0), of: owner, at: block)
            let holdings = zip(readable, balances).map { pair, balance in
                let token = described[pair.0]!
                return Holding(token: token, origin: pair.1, balance: balance, formatted: balance.map { Units.format($0, decimals: token.decimals) })
            }
            let symbol = context.network.nativeSymbol
            return Holdings(address: owner, network: context.network.name, block: block,
                            native: BalanceService.Amount(symbol: symbol, address: nil, decimals: 18, balance: native,
                                                          formatted: Units.format(native, decimals: 18), verified: true),
                            tokens: holdings, unreadable: listed.map(\.0).filter { described[$0] == nil })
        } catch {
            throw AppError.chain(error, what: "a token contract")
        }
    }

    /// The token at `address`: verified, kept, or read from its contract now (and kept).
    /// - Throws: `invalidInput` naming `field` when the contract does not answer as an ERC-20 token.
    public func token(_ address: Address, field: String = "token") async throws(AppError) -> Token {
        guard let token = try await describe([address])[address] else {
            throw .invalidInput(field: field, summary: "Not a token",
                                detail: "\(field): \(address.checksummed) does not answer name(), symbol() and decimals() as an ERC-20 token on \(context.network.name)")
        }
        return token
    }

    /// Adds the token at `address` to `owner`'s tokens (signed in), after reading it.
    /// - Throws: `conflict` when `owner` has `maxAdded` already; `invalidInput` when it is no token.
    public func add(_ address: Address, for owner: Address) async throws(AppError) -> Token {
        guard let repository else { throw .databaseDown }
        let token = try await token(address)
        let added = try await storeCall { () async throws(StoreError) in try await repository.addToken(address, for: owner, limit: maxAdded, at: context.clock.now()) }
        guard added else {
            throw .conflict(summary: "Too many tokens", detail: "an address may add at most \(maxAdded) tokens; remove one first")
        }
        return token
    }

    /// Removes a token `owner` added. - Throws: `notFound` when it had not added it.
    public func remove(_ address: Address, for owner: Address) async throws(AppError) {
        guard let repository else { throw .databaseDown }
        guard try await storeCall({ () async throws(StoreError) in try await repository.removeToken(address, for: owner) }) else {
            throw .notFound(detail: "\(address.checksummed) is not among the tokens \(owner.checksummed) added")
        }
    }

    /// The token `text` names for `owner`: a verified symbol, a contract address, or the symbol
    /// of exactly one token `owner` holds or added (compared without case).
    /// - Throws: `invalidInput` naming `field`: unknown, ambiguous (each candidate's address
    ///   listed), or not a token.
    public func resolve(_ text: String, for owner: Address?, field: String = "token") async throws(AppError) -> Token {
        let written = text.trimmingCharacters(in: .whitespaces)
        if written.lowercased().hasPrefix("0x") {
            return try await token(try Validate.address(written, field: field), field: field)
        }
        if let known = context.network.tokens.first(where: { $0.symbol == written.uppercased() }) { return Token(known) }
        var candidates: [Token] = []
        if let owner, let repository {
            let own = try await storeCall { () async throws(StoreError) in
                try await repository.addedTokens(of: owner) + repository.tokensSeen(by: owner, limit: Self.maxListed)
            }
            // Kept by the indexer when first seen, or read now (one Multicall3 call for those not kept).
            let described = try await describe(Array(Set(own)))
            candidates = described.values.filter { !$0.verified && $0.symbol.uppercased() == written.uppercased() }
                .sorted { $0.address.lowercased < $1.address.lowercased }
        }
        if candidates.count == 1 { return candidates[0] }
        let shown = KnownToken.shown(written)
        if candidates.count > 1 {
            throw .invalidInput(field: field, summary: "Ambiguous token", detail: "\(field): \(candidates.count) of your tokens are called \(shown): "
                                + candidates.map(\.address.checksummed).joined(separator: ", ") + "; name it by its contract address")
        }
        let known = ([context.network.nativeSymbol] + context.network.tokens.map(\.symbol)).joined(separator: ", ")
        throw .invalidInput(field: field, summary: "Unknown token",
                            detail: "\(field) \"\(shown)\" is not one we know on \(context.network.name) (known: \(known)) nor one of your tokens; "
                                + "give its contract address (0x…) to use any ERC-20 token")
    }

    /// The symbols of the tokens `owner` holds or added that are kept in the store (no chain
    /// read): what the agent accepts as a token's name in a request besides the verified ones.
    public func symbols(of owner: Address) async -> [String] {
        guard let repository else { return [] }
        let own = (try? await repository.addedTokens(of: owner)) ?? []
        let seen = (try? await repository.tokensSeen(by: owner, limit: Self.maxListed)) ?? []
        let kept = (try? await repository.tokenMetadata(own + seen)) ?? [:]
        return Array(Set(kept.values.map { $0.symbol.uppercased() })).sorted()
    }

    /// What a preview says of a token off the verified list.
    static func unverifiedSentence(_ token: Token) -> String {
        "\(token.symbol) at \(token.address.checksummed) is not on the network's verified list: its name and symbol "
            + "are only what its contract says, and a look-alike can copy them. Check the contract address before you sign."
    }

    /// `addresses` as tokens: verified ones from the profile, others from the store, the rest
    /// read in one Multicall3 call and kept. Contracts that do not answer `decimals()` as a
    /// token are left out (and read again next time).
    /// The verified tokens, with the DeFi set's wS and pool tokens (their addresses are sourced too).
    static func sourced(_ network: Network) -> [KnownToken] {
        var known = network.tokens
        var more = network.defi.poolTokens
        if let wrapped = network.defi.wrappedNative {
            more.append(KnownToken(symbol: "wS", name: "Wrapped Sonic", address: wrapped.address, decimals: 18, source: wrapped.source))
        }
        for token in more where !known.contains(where: { $0.address == token.address }) { known.append(token) }
        return known
    }

    func describe(_ addresses: [Address]) async throws(AppError) -> [Address: Token] {
        var found: [Address: Token] = [:]
        for known in Self.sourced(context.network) where addresses.contains(known.address) { found[known.address] = Token(known) }
        let others = addresses.filter { found[$0] == nil }
        guard !others.isEmpty else { return found }
        let kept = try await storeCall { () async throws(StoreError) in try await repository?.tokenMetadata(others) ?? [:] }
        for (address, metadata) in kept { found[address] = Token(metadata) }
        let missing = Array(Set(others.filter { kept[$0] == nil })).sorted { $0.lowercased < $1.lowercased }
        guard !missing.isEmpty else { return found }
        let read: [TokenDescription?]
        do { read = try await context.chain.tokenDescriptions(missing) } catch { throw AppError.chain(error, what: "a token contract") }
        var fresh: [TokenMetadata] = []
        for (address, description) in zip(missing, read) {
            guard let description else { continue }
            let symbol = KnownToken.shown(description.symbol ?? "")
            fresh.append(TokenMetadata(address: address, name: KnownToken.shownName(description.name ?? symbol), symbol: symbol,
                                       decimals: min(description.decimals, 77), readAt: context.clock.now()))
        }
        // Kept for next time; a database that cannot write now only means reading them again.
        try? await repository?.saveTokenMetadata(fresh)
        for metadata in fresh { found[metadata.address] = Token(metadata) }
        return found
    }
}
