import Ethereum
import Foundation
import Logging
import SonicChain
import SonicConfig

/// What the services share: the network (with our deployments), the chain's reads, the
/// broadcaster and the clock. Each service is given the parts of the database it uses apart.
public final class ChainContext: Sendable {
    public let network: Network
    public let chain: any ChainReads
    /// The DeFi contracts' reads (staking, swaps); the chain's own when it has them (`RPCChain`).
    public let defi: (any DeFiReads)?
    public let broadcaster: any Broadcaster
    public let clock: any TimeSource
    public let deployments: Deployments?
    /// Why `deployments` is nil, for the error a subscription or NFT request gets.
    public let deploymentProblem: String?
    /// Fee suggestions, shared for one block's time (`SONIC_BALANCE_TTL`).
    private let feeCache: ReadCache<FeeSuggestion>
    /// What S is worth in US dollars, for balances, previews and the history's CSV.
    public let prices: PriceService

    /// - Parameters:
    ///   - network: the network, with what its deployment file adds.
    ///   - deployments: our contracts on it, or nil with `deploymentProblem` saying why.
    ///   - feeTTL: seconds fee suggestions are shared.
    ///   - priceMaximumAge: seconds after which the S/USD feed's answer is stale (`SONIC_PRICE_MAX_AGE`).
    public init(network: Network, deployments: Deployments?, deploymentProblem: String? = nil, chain: any ChainReads,
                broadcaster: any Broadcaster, clock: any TimeSource = SystemTime(), feeTTL: Double, defi: (any DeFiReads)? = nil,
                priceMaximumAge: UInt64 = Configuration.defaultPriceMaximumAge) {
        self.network = network
        self.chain = chain
        self.defi = defi ?? chain as? any DeFiReads
        self.broadcaster = broadcaster
        self.clock = clock
        self.deployments = deployments
        self.deploymentProblem = deploymentProblem
        feeCache = ReadCache(ttl: feeTTL)
        prices = PriceService(network: network, reads: self.defi, clock: clock, maximumAge: priceMaximumAge)
    }

    /// The network of `configuration` with our deployments, read from the node through `client`.
    public convenience init(configuration: Configuration, client: RPCClient) {
        var network = configuration.network
        var deployments: Deployments?
        var problem: String?
        do {
            let loaded = try Deployments.load(network: network, directory: configuration.deploymentsDirectory)
            network = network.with(deployments: loaded)
            deployments = loaded
        } catch {
            // The file's path is for the log; the answer says only what is missing.
            problem = "our contracts are not deployed on \(network.name)"
            logger.warning("contracts: \(error)")
        }
        let chain = RPCChain(client: client, network: network)
        self.init(network: network, deployments: deployments, deploymentProblem: problem, chain: chain, broadcaster: chain,
                  feeTTL: configuration.balanceTTL, priceMaximumAge: configuration.priceMaximumAge)
    }

    /// The fees to offer for the next block, asked of the node at most once per `SONIC_BALANCE_TTL`.
    func suggestedFees() async throws(AppError) -> FeeSuggestion {
        try await feeCache.value("fees", now: clock.now().timeIntervalSince1970) { () async throws(AppError) -> FeeSuggestion in
            do throws(ChainError) { return try await chain.suggestFees() } catch { throw AppError(error) }
        }
    }

    /// The address of one of our contracts, or why it cannot be used.
    func contract(_ name: String) throws(AppError) -> Address {
        guard let deployments else {
            throw .unavailable(summary: "Contract not deployed", detail: deploymentProblem ?? "\(name) is not deployed")
        }
        do { return try deployments.address(of: name) } catch {
            throw .unavailable(summary: "Contract not deployed", detail: "\(name) is not deployed on \(network.name)")
        }
    }

    /// The S (native) balance of `address`, or the problem a failed read becomes.
    func nativeBalance(of address: Address) async throws(AppError) -> UInt256 {
        do { return try await chain.balance(of: address, at: .latest) } catch { throw AppError(error) }
    }

    /// Refuses, naming `field`, when `balance` is below `needed` for `what` ("the amount and the fee").
    func require(_ balance: UInt256, covers needed: UInt256, for what: String, field: String) throws(AppError) {
        guard balance < needed else { return }
        let symbol = network.nativeSymbol
        throw .insufficientBalance(field: field, detail: "not enough \(symbol) for \(what): \(Units.format(needed, decimals: 18)) needed, "
                                    + "\(Units.format(balance, decimals: 18)) available")
    }
}
