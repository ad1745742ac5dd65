import Ethereum
import SonicHTTP
import Foundation
import Logging
import SonicChain
import SonicConfig
import SonicStore

/// What the services share: the network (with our deployments), its client, fees and the store.
public final class ChainContext: Sendable {
    public let network: Network
    public let client: RPCClient
    public let fees: FeeAdvisor
    public let deployments: Deployments?
    /// Why `deployments` is nil, for the error a subscription or NFT request gets.
    public let deploymentProblem: String?
    public let store: Store?
    /// Fee suggestions, shared for one block's time (`SONIC_BALANCE_TTL`).
    private let feeCache: ReadCache<FeeSuggestion>

    public init(configuration: Configuration, store: Store?) {
        let client = RPCClient(
            endpoints: configuration.network.rpcURLs,
            transport: HTTPTransport(connectTimeout: min(2, configuration.rpcTimeout), totalTimeout: configuration.rpcTimeout))
        var network = configuration.network
        var deployments: Deployments?
        var problem: String?
        do {
            let loaded = try Deployments.load(network: network, directory: configuration.deploymentsDirectory)
            network = network.with(deployments: loaded)
            deployments = loaded
        } catch {
            problem = error.description
            logger.warning("contracts: \(error)")
        }
        self.network = network
        self.client = client
        self.fees = FeeAdvisor(client: client, minimumBaseFee: network.minimumBaseFee)
        self.deployments = deployments
        self.deploymentProblem = problem
        self.store = store
        feeCache = ReadCache(ttl: configuration.balanceTTL)
    }

    /// The fees to offer for the next block, asked of the node at most once per `SONIC_BALANCE_TTL`.
    func suggestedFees() throws(Problem) -> FeeSuggestion {
        try feeCache.value("fees") { () throws(Problem) -> FeeSuggestion in
            do throws(ChainError) { return try fees.suggest() } catch { throw Self.problem(error) }
        }
    }

    /// The address of one of our contracts, or a 503 saying it is not deployed.
    func contract(_ name: String) throws(Problem) -> Address {
        guard let deployments else {
            throw Problem(status: 503, title: "Contract not deployed", detail: deploymentProblem ?? "\(name) is not deployed")
        }
        do { return try deployments.address(of: name) } catch {
            throw Problem(status: 503, title: "Contract not deployed", detail: error.description)
        }
    }

    /// The S (native) balance of `address`, or the problem a failed read becomes.
    func nativeBalance(of address: Address) throws(Problem) -> UInt256 {
        do { return try client.balance(of: address) } catch { throw Self.problem(error) }
    }

    /// Refuses, naming `field`, when `balance` is below `needed` for `what` ("the amount and the fee").
    func require(_ balance: UInt256, covers needed: UInt256, for what: String, field: String) throws(Problem) {
        guard balance < needed else { return }
        let symbol = network.nativeSymbol
        throw Problem(status: 422, title: "Insufficient balance",
                      detail: "not enough \(symbol) for \(what): \(Units.format(needed, decimals: 18)) needed, "
                        + "\(Units.format(balance, decimals: 18)) available", field: field)
    }

    /// The node does not answer (refused, timed out, 5xx): 503, to be retried.
    static let nodeUnavailable = Problem(type: "https://smartsonic.dev/problems/node-unavailable", status: 503, title: "Node unavailable",
                                         detail: "the Sonic node is not answering; try again in a few seconds")

    /// A chain failure as the client sees it: 503 with Retry-After for outages, 502 for odd answers.
    static func problem(_ error: ChainError) -> Problem {
        switch error {
        case .transport, .timeout, .httpStatus:
            return nodeUnavailable
        case .reverted(_, _, let reason):
            return Problem(status: 422, title: "Reverted", detail: "the call reverted: \(reason)")
        case .nonceTooLow:
            return Problem(status: 409, title: "Nonce already used", detail: error.description)
        case .broadcastUnconfirmed:
            return Problem(status: 503, title: "Broadcast unconfirmed", detail: error.description)
        case .rpc(_, _, _, let message, _):
            return Problem(status: 422, title: "Refused by the node", detail: message)
        case .invalidResponse:
            return Problem(status: 502, title: "Bad answer from the node", detail: "the Sonic node gave an answer we could not read")
        }
    }
}
