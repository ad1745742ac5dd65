import Logging
import SonicChain
import SonicConfig
import SonicStore

/// Whether the backend can do its job: the node answers on the configured chain and the
/// database can be read.
public struct HealthService: Sendable {
    public struct Report: Codable, Sendable, Equatable {
        /// `ok`, or `degraded` when the node or the database is down.
        public var status: String
        public var network: String
        public var chainId: UInt64?
        public var block: UInt64?
        /// `ok`, `unreachable`, or `wrong_chain` when the node serves another chain id.
        public var rpc: String
        /// `ok` or `unavailable`.
        public var database: String

        enum CodingKeys: String, CodingKey {
            case status, network, chainId = "chain_id", block, rpc, database
        }

        /// Unknown values are written as `null`, not left out: clients read a fixed shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(network, forKey: .network)
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

    public func check() async -> Report {
        var report = Report(status: "ok", network: network.name, chainId: nil, block: nil, rpc: "ok", database: "ok")
        do {
            let chainID = try await chain.chainID()
            report.chainId = chainID
            if chainID != network.chainID {
                report.rpc = "wrong_chain"
            } else {
                report.block = try await chain.blockNumber()
            }
        } catch {
            logger.warning("health: \(error)")
            report.rpc = "unreachable"
        }
        do {
            guard let database else { throw StoreError.unavailable(path: "?", reason: "not opened") }
            try database.ping()
        } catch {
            logger.warning("health: \(error)")
            report.database = "unavailable"
        }
        if report.rpc != "ok" || report.database != "ok" { report.status = "degraded" }
        return report
    }
}
