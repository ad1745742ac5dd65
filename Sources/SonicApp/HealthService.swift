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

    public init(network: Network, chain: any ChainReads, database: (any DatabaseHealth)?) {
        self.network = network
        self.chain = chain
        self.database = database
    }

    /// Asks the node for its chain id and head, and pings the database.
    public func check() async -> Report {
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
            try database.ping()
        } catch {
            logger.warning("health: \(error)")
            report.database = .unavailable
        }
        return report
    }
}
