import Ethereum
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
        let client = RPCClient(configuration: configuration)
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
    func suggestedFees() async throws(AppError) -> FeeSuggestion {
        try await feeCache.value("fees") { () async throws(AppError) -> FeeSuggestion in
            do throws(ChainError) { return try fees.suggest() } catch { throw AppError(error) }
        }
    }

    /// The address of one of our contracts, or why it cannot be used.
    func contract(_ name: String) throws(AppError) -> Address {
        guard let deployments else {
            throw .unavailable(summary: "Contract not deployed", detail: deploymentProblem ?? "\(name) is not deployed")
        }
        do { return try deployments.address(of: name) } catch {
            throw .unavailable(summary: "Contract not deployed", detail: error.description)
        }
    }

    /// The S (native) balance of `address`, or the problem a failed read becomes.
    func nativeBalance(of address: Address) async throws(AppError) -> UInt256 {
        do { return try client.balance(of: address) } catch { throw AppError(error) }
    }

    /// Refuses, naming `field`, when `balance` is below `needed` for `what` ("the amount and the fee").
    func require(_ balance: UInt256, covers needed: UInt256, for what: String, field: String) throws(AppError) {
        guard balance < needed else { return }
        let symbol = network.nativeSymbol
        throw .insufficientBalance(field: field, detail: "not enough \(symbol) for \(what): \(Units.format(needed, decimals: 18)) needed, "
                                    + "\(Units.format(balance, decimals: 18)) available")
    }
}
