import Logging
import SonicChain
import SonicConfig
import SonicStore

/// Whether the backend can do its job: the node answers on the configured chain and the
/// database can be read.
public struct HealthService: Sendable {
    public struct Report: Encodable, Sendable, Equatable {
        /// The whole backend: `ok`, or `degraded` when the node or the database is not.
        public enum Status: String, Codable, Sendable { case ok, degraded }
        /// The node: `ok`, `unreachable`, or `wrong_chain` when it serves another chain id.
        public enum RPCState: String, Codable, Sendable { case ok, unreachable, wrongChain = "wrong_chain" }
        /// The database: `ok` or `unavailable`.
        public enum DatabaseState: String, Codable, Sendable { case ok, unavailable }

        public var rpc: RPCState
        public var database: DatabaseState
        /// The network we are configured for, written as its name.
        public var network: Network
        public var chainId: UInt64?
        public var block: UInt64?

        /// `degraded` unless both the node and the database are `ok`.
        public var status: Status { rpc == .ok && database == .ok ? .ok : .degraded }

        enum CodingKeys: String, CodingKey {
            case status, network, chainId = "chain_id", block, rpc, database
        }

        /// Unknown values are written as `null`, not left out: clients read a fixed shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(network.name, forKey: .network)
            try container.encode(chainId, forKey: .chainId)
            try container.encode(block, forKey: .block)
            try container.encode(rpc, forKey: .rpc)
            try container.encode(database, forKey: .database)
        }
    }

    let network: Network
    let chain: any ChainReads
    let database: (any DatabaseHealth)?
    let clock: any TimeSource
    /// The last report, for `ttl` seconds; concurrent checks past it share one.
    private let cache: ReadCache<Report>

    /// - Parameter ttl: seconds a report is answered again without asking the node (monitors
    ///   and every open dashboard ask; each check costs two node calls).
    public init(network: Network, chain: any ChainReads, database: (any DatabaseHealth)?, clock: any TimeSource = SystemTime(), ttl: Double = 1) {
        self.network = network
        self.chain = chain
        self.database = database
        self.clock = clock
        cache = ReadCache(ttl: ttl, capacity: 1)
    }

    /// The node's chain id and head, and a ping of the database: from the report of the last
    /// `ttl` seconds, or one check shared by every request that arrives while it runs.
    public func check() async -> Report {
        // The check never throws: a failure is a degraded report, kept as briefly as a good one.
        (try? await cache.value("health", now: clock.now().timeIntervalSince1970) { () async throws(AppError) -> Report in await checkNow() })
            ?? Report(rpc: .unreachable, database: .unavailable, network: network)
    }

    /// How many checks wait for the one in flight (for tests).
    func waiting() -> Int { cache.waiting("health") }

    /// Asks the node for its chain id and head, and pings the database.
    private func checkNow() async -> Report {
        var report = Report(rpc: .ok, database: .ok, network: network)
        do {
            let chainID = try await chain.chainID()
            report.chainId = chainID
            if chainID != network.chainID {
                report.rpc = .wrongChain
            } else {
                report.block = try await chain.blockNumber()
            }
        } catch {
            logger.warning("health: \(error)")
            report.rpc = .unreachable
        }
        do {
            guard let database else { throw StoreError.unavailable(path: "?", reason: "not opened") }
            try await database.ping()
        } catch {
            logger.warning("health: \(error)")
            report.database = .unavailable
        }
        return report
    }
}
