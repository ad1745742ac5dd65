import Ethereum
import Foundation
import SonicChain
import SonicConfig

/// The premium subscription: status of an address, and purchases prepared for the wallet.
public struct SubscriptionService: Sendable {
    let context: ChainContext
    /// Status by address, for one block's time (`SONIC_BALANCE_TTL`); forgotten when a
    /// transaction of the address settles.
    private let statuses: ReadCache<Status>

    init(context: ChainContext, ttl: Double) {
        self.context = context
        statuses = ReadCache(ttl: ttl)
    }

    /// Forgets the kept status of `address` (one of its transactions settled).
    func invalidate(_ address: Address) {
        statuses.invalidate(address.lowercased)
    }

    public struct Status: Encodable, Sendable {
        let address: String
        let active: Bool
        /// Unix seconds; null when never bought.
        let expiresAt: UInt64?
        let expiresAtIso: String?
        let priceWei: String
        let price: String
        let periodDays: UInt64
        let paused: Bool
        let contract: String

        enum CodingKeys: String, CodingKey {
            case address, active, expiresAt = "expires_at", expiresAtIso = "expires_at_iso", priceWei = "price_wei", price,
                 periodDays = "period_days", paused, contract
        }
    }

    public func status(_ address: Address) async throws(AppError) -> Status {
        try await statuses.value(address.lowercased) { () async throws(AppError) -> Status in try await read(address) }
    }

    private func read(_ address: Address) async throws(AppError) -> Status {
        let contract = try context.contract("SmartSonicSubscription")
        do {
            let state = try await context.chain.subscriptionState(contract, of: address)
            let expiry = state.expiresAt
            // Past the year 9999 no date can be written: the contract's answer is not usable.
            guard expiry <= 253_402_300_799 else {
                throw AppError.badUpstream(summary: "Bad answer from the contract", detail: "the subscription contract gave an expiry time beyond the year 9999")
            }
            return Status(address: address.checksummed, active: state.active, expiresAt: expiry == 0 ? nil : expiry,
                          expiresAtIso: expiry == 0 ? nil : Date(timeIntervalSince1970: Double(expiry)).ISO8601Format(),
                          priceWei: state.price.description, price: Units.format(state.price, decimals: 18),
                          periodDays: SubscriptionContract.period / 86_400, paused: state.paused, contract: contract.checksummed)
        } catch {
            throw AppError.chain(error, what: "the subscription contract")
        }
    }

    /// `months` × 30 days of premium for `from`, previewed.
    public func preparePurchase(from: Address, months: Int) async throws(AppError) -> PreparedTransaction {
        guard (1...36).contains(months) else {
            throw .invalidInput(field: "months", summary: "Invalid months", detail: "months must be a whole number from 1 to 36, got \(months)")
        }
        let contract = try context.contract("SmartSonicSubscription")
        let call: CallRequest
        do {
            let terms = try await context.chain.subscriptionTerms(contract)
            guard !terms.paused else {
                throw AppError.conflict(summary: "Sales paused", detail: "the subscription is paused by its owner; try again later")
            }
            call = try SubscriptionContract.purchaseRequest(contract: contract, periods: UInt64(months), price: terms.price, from: from)
        } catch {
            throw AppError.chain(error, what: "the subscription contract")
        }
        let total = call.value ?? .zero
        let noun = months == 1 ? "month" : "months"
        let prepared = try await PreparedTransaction.make(
            call, summary: "Buy \(months) \(noun) of premium for \(Units.format(total, decimals: 18)) \(context.network.nativeSymbol)", context: context)
        try await context.require(try context.nativeBalance(of: from), covers: total.adding(prepared.maxFee) ?? .max,
                            for: "the price and the fee", field: "months")
        return prepared
    }
}

/// GET /api/network: what a client needs to know about the chain we serve.
public struct NetworkService: Sendable {
    let context: ChainContext
    /// Block, fees and gas price change once a block: asked of the node once per `SONIC_BALANCE_TTL`.
    private let cache: ReadCache<Info>

    init(context: ChainContext, ttl: Double) {
        self.context = context
        cache = ReadCache(ttl: ttl)
    }

    public struct Info: Encodable, Sendable {
        let name: String
        let displayName: String
        let chainId: UInt64
        let chainIdHex: String
        let symbol: String
        let latestBlock: UInt64
        let baseFeeWei: String
        let gasPriceWei: String
        let gasPriceGwei: String
        let explorerUrl: String?
        let contracts: [String: String]
        /// The tokens the network lists: its verified ones, wS and the pools' tokens, each with
        /// where its address comes from (what the Swap page offers besides the address's own).
        let tokens: [TokenService.Token]

        enum CodingKeys: String, CodingKey {
            case name, displayName = "display_name", chainId = "chain_id", chainIdHex = "chain_id_hex", symbol,
                 latestBlock = "latest_block", baseFeeWei = "base_fee_wei", gasPriceWei = "gas_price_wei",
                 gasPriceGwei = "gas_price_gwei", explorerUrl = "explorer_url", contracts, tokens
        }
    }

    public func info() async throws(AppError) -> Info {
        try await cache.value("network") { () async throws(AppError) -> Info in try await read() }
    }

    private func read() async throws(AppError) -> Info {
        let network = context.network
        let fees = try await context.suggestedFees()
        do {
            let block = try await context.chain.blockNumber()
            let gasPrice = try await context.chain.gasPrice()
            var contracts = (context.deployments?.contracts ?? [:]).mapValues(\.address.checksummed)
            if let multicall = network.multicall3 { contracts["Multicall3"] = multicall.checksummed }
            return Info(name: network.name, displayName: network.displayName, chainId: network.chainID,
                        chainIdHex: Hex.quantity(network.chainID), symbol: network.nativeSymbol, latestBlock: block,
                        baseFeeWei: fees.baseFee.description, gasPriceWei: gasPrice.description, gasPriceGwei: Units.formatGwei(gasPrice),
                        explorerUrl: network.explorerURL, contracts: contracts, tokens: TokenService.sourced(network).map(TokenService.Token.init))
        } catch {
            throw AppError(error)
        }
    }
}
