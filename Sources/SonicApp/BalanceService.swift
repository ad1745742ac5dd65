import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore
import Synchronization

/// Balances of S and known tokens, cached in memory (L1) and SQLite (L2).
///
/// Fresh for `ttl` seconds (Sonic makes a block every ~0.7 s); when the node fails, the last
/// value is served with `stale: true` and its age for up to `maxStaleness` seconds, then 503.
/// Concurrent misses for one key make one set of RPC calls.
public final class BalanceService: Sendable {
    /// One balance: S or a token, exact and formatted.
    public struct Amount: Codable, Sendable, Equatable {
        public let symbol: String
        /// The token's contract; nil for S (written as `null`).
        @OrNull public var address: Address?
        public let decimals: Int
        /// Exact base units (wei for S); written as a decimal string.
        public let balance: UInt256
        /// The exact amount in whole units, shortest form.
        public let formatted: String
        /// S, or a token of the network profile's verified list; false for any other contract,
        /// whose symbol is only what the contract says (a look-alike may copy one).
        public let verified: Bool
    }

    /// A token a request names: a verified one (by symbol or address), or any contract by address.
    struct RequestedToken: Sendable, Equatable {
        let address: Address
        let known: KnownToken?
        /// How it appears in the cache key.
        var key: String { known?.symbol ?? address.lowercased }
    }

    /// At most this many tokens that are not verified in one request (each costs two more reads).
    static let maxUnverified = 5

    /// What the node said at one block; kept in the cache (SQLite holds it as this JSON).
    public struct Snapshot: Codable, Sendable, Equatable {
        public let address: Address
        public let network: String
        public let block: UInt64
        public let native: Amount
        public let tokens: [Amount]
        /// When the node was asked (seconds since 1970).
        public let fetchedAt: Double
    }

    /// The members of the API's balance document that one snapshot fixes: everything but
    /// `age_seconds` and `stale`.
    public struct Document: Encodable, Sendable {
        public let snapshot: Snapshot

        public init(_ snapshot: Snapshot) { self.snapshot = snapshot }

        enum CodingKeys: String, CodingKey { case address, network, block, native, tokens, cachedAt = "cached_at" }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(snapshot.address, forKey: .address)
            try container.encode(snapshot.network, forKey: .network)
            try container.encode(snapshot.block, forKey: .block)
            try container.encode(snapshot.native, forKey: .native)
            try container.encode(snapshot.tokens, forKey: .tokens)
            try container.encode(Date(timeIntervalSince1970: snapshot.fetchedAt).ISO8601Format(), forKey: .cachedAt)
        }

        /// Sorted keys, `/` unescaped, as every API answer.
        public func encoded() -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(self)).map(Array.init) ?? Array("{}".utf8)
        }
    }

    /// A snapshot with its document encoded once. Answers from one snapshot differ only in
    /// `age_seconds` and `stale`, so those two are written by hand per request: the one
    /// hand-written JSON of the API. Encoding the document per request with `JSONEncoder` takes
    /// 11.6 µs, more than the whole cached path from FastCGI parameters to records (10.2 µs;
    /// sonic-bench `--only request`, docs/benchmarks.md); under load it was 7 % of the CPU.
    final class Rendered: Sendable {
        let snapshot: Snapshot
        /// The document without `age_seconds`, `stale` and the closing brace.
        let head: [UInt8]

        init(_ snapshot: Snapshot) {
            self.snapshot = snapshot
            head = Array(Document(snapshot).encoded().dropLast())
        }
    }

    public struct Answer: Sendable {
        let rendered: Rendered
        public let stale: Bool
        /// Seconds since the node was asked.
        public let age: Double

        public var snapshot: Snapshot { rendered.snapshot }

        /// The API's document: the snapshot's members, then `age_seconds` (seconds, to the
        /// millisecond, as Swift prints a `Double`: `120.0`) and `stale`.
        public var body: [UInt8] {
            var out = rendered.head
            out.reserveCapacity(out.count + 40)
            out += #","age_seconds":"#.utf8
            out += "\((age * 1000).rounded() / 1000)".utf8
            out += (stale ? #","stale":true}"# : #","stale":false}"#).utf8
            return out
        }
    }

    let context: ChainContext
    /// The cache behind memory (shared by the processes), nil without a database.
    let cache: (any CacheRepository)?
    let ttl: Double
    let maxStaleness: Double
    private let memory = ReadWriteLocked<[String: Rendered]>([:])
    /// When each address's balances last changed on chain (`expire`): a snapshot read before
    /// that is no longer fresh, but is still the stale answer while the node is down.
    private let changedAt = ReadWriteLocked<[String: Double]>([:])
    private let flights = SingleFlight<Rendered>()
    public let hits = Atomic<Int>(0)
    public let misses = Atomic<Int>(0)

    public init(context: ChainContext, cache: (any CacheRepository)?, ttl: Double, maxStaleness: Double) {
        self.context = context
        self.cache = cache
        self.ttl = ttl
        self.maxStaleness = maxStaleness
    }

    /// The balances of `address` in S and in the `tokens` named: symbols of verified tokens, or
    /// contract addresses (a contract not on the verified list is answered unverified).
    public func balances(of address: Address, tokens symbols: [String]) async throws(AppError) -> Answer {
        let tokens = try resolve(symbols)
        let now = context.clock.now()
        let key = key(address, tokens)
        let cached = await lookup(key)
        if let fresh = fresh(cached, address: address, now: now) { return fresh }
        misses.add(1, ordering: .relaxed)
        // The node failed a moment ago and has not answered since: answer from what we have now
        // rather than make this request wait for it too (a request after the quiet period asks).
        if context.chain.isUnreachable(within: Self.quietPeriod) {
            return try staleAnswer(cached, now: now, because: .nodeDown)
        }
        do {
            // One fetch and one write for every request that finds the balance old at once: the
            // flight remembers it; a request that came as a flight ended takes what it left.
            let rendered = try await flights.run(key) { () async throws(AppError) -> Rendered in
                if let left = memory.read({ $0[key] }), isFresh(left, address: address, now: context.clock.now()) { return left }
                return await remember(key, try await fetch(address, tokens))
            }
            return Answer(rendered: rendered, stale: false, age: max(0, context.clock.now().timeIntervalSince1970 - rendered.snapshot.fetchedAt))
        } catch AppError.nodeUnavailable(let detail) {
            return try staleAnswer(await lookup(key), now: now, because: .nodeUnavailable(detail: detail))
        }
    }

    /// The answer kept in memory while still fresh, without waiting for anything: the API answers
    /// it on the spot (most balance requests), and only a miss goes the whole way (the database's
    /// copy included).
    /// How many requests wait for the fetch of `address`'s balance in S (for tests).
    func waiting(_ address: Address) -> Int { flights.waiting(key(address, [])) }

    public func freshAnswer(of address: Address, tokens symbols: [String]) throws(AppError) -> Answer? {
        let key = key(address, try resolve(symbols))
        return fresh(memory.read { $0[key] }, address: address, now: context.clock.now())
    }

    private func fresh(_ cached: Rendered?, address: Address, now: Date) -> Answer? {
        guard let cached, isFresh(cached, address: address, now: now) else { return nil }
        hits.add(1, ordering: .relaxed)
        return Answer(rendered: cached, stale: false, age: max(0, now.timeIntervalSince1970 - cached.snapshot.fetchedAt))
    }

    /// Younger than the TTL and read after the address last changed on chain.
    private func isFresh(_ cached: Rendered, address: Address, now: Date) -> Bool {
        guard now.timeIntervalSince1970 - cached.snapshot.fetchedAt < ttl else { return false }
        let prefix = Self.cacheKey(network: context.network.name, address: address)
        if let changed = changedAt.read({ $0[prefix] }), cached.snapshot.fetchedAt <= changed { return false }
        return true
    }

    private func key(_ address: Address, _ tokens: [RequestedToken]) -> String {
        Self.cacheKey(network: context.network.name, address: address) + ":" + tokens.map(\.key).joined(separator: ",")
    }

    /// Seconds after a failure of every endpoint during which balances are answered from the
    /// cache (or refused) without asking the node.
    static let quietPeriod = 2.0

    /// The last balance under `key` marked stale, while younger than `maxStaleness`; else `error`.
    private func staleAnswer(_ cached: Rendered?, now: Date, because error: AppError) throws(AppError) -> Answer {
        guard let cached else { throw error }
        let age = now.timeIntervalSince1970 - cached.snapshot.fetchedAt
        guard age <= maxStaleness else {
            throw .nodeUnavailable(detail: "the node is not answering and the last balance is \(Int(age)) s old, more than the \(Int(maxStaleness)) s we serve")
        }
        return Answer(rendered: cached, stale: true, age: age)
    }

    /// Marks every cached balance of `address` as no longer fresh (the indexer saw it change),
    /// keeping them as the stale answer for while the node is down.
    public func expire(_ address: Address) {
        let prefix = Self.cacheKey(network: context.network.name, address: address)
        let now = context.clock.now().timeIntervalSince1970
        changedAt.write { all in
            if all.count >= 100_000 { all = all.filter { now - $0.value < ttl } }
            all[prefix] = now
        }
        memory.write { all in all = all.filter { !$0.key.hasPrefix(prefix) } }
    }

    /// Forgets every cached balance of `address` (a transfer to or from it confirmed): at once in
    /// memory, and marked changed so that the database's copy, removed in the background, is not
    /// taken for fresh meanwhile.
    public func invalidate(_ address: Address) {
        expire(address)
        let prefix = Self.cacheKey(network: context.network.name, address: address)
        memory.write { all in all = all.filter { !$0.key.hasPrefix(prefix) } }
        guard let cache else { return }
        // A local file at once, as before the repositories were async; PostgreSQL in the background.
        if cache.answersOnTheSpot { ThreadExecutor.run { try? await cache.invalidate(prefix: prefix) } } else { Task { try? await cache.invalidate(prefix: prefix) } }
    }

    static func cacheKey(network: String, address: Address) -> String { "balance:\(network):\(address.lowercased)" }

    func resolve(_ names: [String]) throws(AppError) -> [RequestedToken] {
        let known = context.network.tokens
        var tokens: [RequestedToken] = []
        for name in names {
            let token: RequestedToken
            if let found = known.first(where: { $0.symbol == name.uppercased() }) {
                token = RequestedToken(address: found.address, known: found)
            } else if name.hasPrefix("0x"), let contract = try? Address(name) {
                token = RequestedToken(address: contract, known: known.first { $0.address == contract })
            } else {
                let accepted = known.isEmpty ? "none on \(context.network.name)" : known.map(\.symbol).joined(separator: ", ")
                throw .invalidInput(field: "tokens", summary: "Unknown token",
                                    detail: "tokens: \"\(name)\" is not a token we know (known: \(accepted)) nor a contract address")
            }
            if !tokens.contains(token) { tokens.append(token) }
        }
        guard tokens.filter({ $0.known == nil }).count <= Self.maxUnverified else {
            throw .invalidInput(field: "tokens", summary: "Too many tokens", detail: "tokens: at most \(Self.maxUnverified) contracts that are not verified tokens")
        }
        // Verified ones first, each group by symbol (or address).
        return tokens.sorted { ($0.known == nil ? 1 : 0, $0.key) < ($1.known == nil ? 1 : 0, $1.key) }
    }

    private func lookup(_ key: String) async -> Rendered? {
        if let hit = memory.read({ $0[key] }) { return hit }
        guard let stored = try? await cache?.cached(key),
              let snapshot = try? JSONDecoder().decode(Snapshot.self, from: Data(stored.value)) else { return nil }
        let rendered = Rendered(snapshot)
        memory.write { $0[key] = rendered }
        return rendered
    }

    /// Past this many balances in memory, all but the fresh ones are dropped: the others stay in
    /// SQLite (L2), where `lookup` finds them for a stale answer.
    static let memoryCapacity = 50_000

    private func remember(_ key: String, _ snapshot: Snapshot) async -> Rendered {
        let rendered = Rendered(snapshot)
        memory.write { all in
            if all.count >= Self.memoryCapacity { all = all.filter { snapshot.fetchedAt - $0.value.snapshot.fetchedAt < ttl } }
            all[key] = rendered
        }
        if let data = try? JSONEncoder().encode(snapshot) { try? await cache?.cache(key, Array(data)) }
        return rendered
    }

    /// Reads the head and S in one round trip, then tokens at that block, so they agree with each other.
    private func fetch(_ address: Address, _ tokens: [RequestedToken]) async throws(AppError) -> Snapshot {
        let chain = context.chain
        do {
            let (block, native) = try await chain.headAndBalance(of: address)
            var amounts: [Amount] = []
            if !tokens.isEmpty {
                let values = try await chain.tokenBalances(tokens.map(\.address), of: address, at: block)
                for (token, value) in zip(tokens, values) {
                    let (symbol, decimals) = try await describe(token)
                    guard let value else {
                        throw AppError.badUpstream(summary: "Bad token answer", detail: "\(symbol) at \(token.address) did not answer balanceOf")
                    }
                    amounts.append(Amount(symbol: symbol, address: token.address, decimals: decimals, balance: value,
                                          formatted: Units.format(value, decimals: decimals), verified: token.known != nil))
                }
            }
            return Snapshot(address: address, network: context.network.name, block: block,
                            native: Amount(symbol: context.network.nativeSymbol, address: nil, decimals: 18, balance: native,
                                           formatted: Units.format(native, decimals: 18), verified: true),
                            tokens: amounts, fetchedAt: context.clock.now().timeIntervalSince1970)
        } catch {
            throw AppError.chain(error, what: "a token contract")
        }
    }

    /// A token's symbol and decimals: the profile's for a verified one, else what its contract says.
    private func describe(_ token: RequestedToken) async throws -> (symbol: String, decimals: Int) {
        if let known = token.known { return (known.symbol, known.decimals) }
        do {
            let (symbol, decimals) = try await context.chain.tokenMetadata(token.address)
            return (KnownToken.shown(symbol), min(max(decimals, 0), 77))
        } catch let error as ChainError where AppError(error) == .nodeDown {
            throw AppError(error)
        } catch {
            throw AppError.invalidInput(field: "tokens", summary: "Not a token",
                                        detail: "tokens: \(token.address.checksummed) does not answer symbol() and decimals() as an ERC-20 token")
        }
    }
}
