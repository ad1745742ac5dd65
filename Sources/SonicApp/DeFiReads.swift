import BigInt
import Ethereum
import SonicChain

/// What the staking and swap services read from the network's DeFi contracts (the SFC and its
/// ConstantsManager, a UniswapV2-style router, factory and pairs). `RPCChain` reads them through
/// the bindings of `SonicChain`; tests give a fake. Failures are any error; the services turn
/// them into `AppError`.
public protocol DeFiReads: Sendable {
    /// The ConstantsManager's `withdrawalPeriodTime` (seconds) and `withdrawalPeriodEpochs`, found
    /// through the SFC's `constsAddress()`.
    func withdrawalPeriods(sfc: Address) async throws -> (time: UInt64, epochs: UInt64)
    /// The ConstantsManager's `validatorCommission`: the share of a validator's rewards it keeps
    /// (10^18 is all of them), one figure for every validator.
    func validatorCommission(sfc: Address) async throws -> UInt256
    func currentEpoch(sfc: Address) async throws -> UInt64
    /// The latest block's time (Unix seconds): the SFC's "now", which need not be the wall clock's.
    func headTime() async throws -> UInt64
    /// Every validator from 1 to `lastValidatorID()`, active or not.
    func validators(sfc: Address) async throws -> [SFC.Validator]
    /// What `delegator` has staked with each of `validators` and the rewards it may claim there, in that order.
    func positions(sfc: Address, of delegator: Address, validators: [UInt64]) async throws -> [(stake: UInt256, rewards: UInt256)]
    /// The withdrawal requests `delegator` ever made (its `Undelegated` events), oldest first:
    /// the SFC keeps no list of them.
    func undelegations(sfc: Address, of delegator: Address) async throws -> [(validator: UInt64, id: UInt64)]
    /// Request `id` as it is now; nil once withdrawn (or never made).
    func withdrawalRequest(sfc: Address, of delegator: Address, validator: UInt64, id: UInt64) async throws -> SFC.WithdrawalRequest?

    /// The router's `getAmountsOut(amountIn, path)`.
    func amountsOut(router: Address, amountIn: UInt256, path: [Address]) async throws -> [UInt256]
    /// The reserves of the pool of `tokenIn` and `tokenOut` at `factory`, in that order; nil when there is none.
    func reserves(factory: Address, _ tokenIn: Address, _ tokenOut: Address) async throws -> (reserveIn: UInt256, reserveOut: UInt256)?

    /// The latest round of a Chainlink-style price feed (`latestRoundData`, `decimals`).
    func latestRound(feed: Address) async throws -> PriceFeed.Round
}

extension RPCChain: DeFiReads {
    public func withdrawalPeriods(sfc: Address) async throws -> (time: UInt64, epochs: UInt64) {
        let constants = try await SFC(address: sfc, client: client).constants()
        return (try await constants.withdrawalPeriodTime(), try await constants.withdrawalPeriodEpochs())
    }

    public func validatorCommission(sfc: Address) async throws -> UInt256 {
        try await SFC(address: sfc, client: client).constants().validatorCommission()
    }

    public func currentEpoch(sfc: Address) async throws -> UInt64 { try await SFC(address: sfc, client: client).currentEpoch() }

    public func headTime() async throws -> UInt64 {
        guard let block = try await client.block(.latest) else { throw ChainError.invalidResponse(endpoint: "node", method: "eth_getBlockByNumber", reason: "no latest block") }
        return block.timestamp.value
    }

    public func validators(sfc: Address) async throws -> [SFC.Validator] { try await SFC(address: sfc, client: client).validators() }

    /// Every `getStake` and `pendingRewards` in one Multicall3 call where the network has it.
    public func positions(sfc: Address, of delegator: Address, validators: [UInt64]) async throws -> [(stake: UInt256, rewards: UInt256)] {
        let calls = try validators.flatMap { validator in
            [(target: sfc, data: try SFC.getStake.calldata([.address(delegator), .uint(BigUInt(validator))])),
             (target: sfc, data: try SFC.pendingRewards.calldata([.address(delegator), .uint(BigUInt(validator))]))]
        }
        let results = try await aggregate(calls, at: .latest)
        return try validators.indices.map { index in
            guard let stake = Self.uint(results[2 * index], SFC.getStake), let rewards = Self.uint(results[2 * index + 1], SFC.pendingRewards) else {
                throw ChainError.invalidResponse(endpoint: "node", method: "eth_call", reason: "getStake or pendingRewards did not answer a number")
            }
            return (stake, rewards)
        }
    }

    public func undelegations(sfc: Address, of delegator: Address) async throws -> [(validator: UInt64, id: UInt64)] {
        let filter = LogFilter(fromBlock: .number(0), addresses: [sfc],
                               topics: [[try Hash32(bytes: SFC.Event.undelegated.topic)], [try Hash32(bytes: Array(repeating: 0, count: 12) + delegator.bytes)]])
        return try await client.logs(filter).compactMap { log in
            guard case .undelegated(_, let validator, let id, _)? = try SFC.Event(log: log) else { return nil }
            return (validator, id)
        }
    }

    public func withdrawalRequest(sfc: Address, of delegator: Address, validator: UInt64, id: UInt64) async throws -> SFC.WithdrawalRequest? {
        try await SFC(address: sfc, client: client).withdrawalRequest(of: delegator, validator: validator, id: id)
    }

    public func amountsOut(router: Address, amountIn: UInt256, path: [Address]) async throws -> [UInt256] {
        try await UniswapV2Router(address: router, client: client).amountsOut(amountIn, path: path)
    }

    public func reserves(factory: Address, _ tokenIn: Address, _ tokenOut: Address) async throws -> (reserveIn: UInt256, reserveOut: UInt256)? {
        guard let pair = try await UniswapV2Factory(address: factory, client: client).pair(tokenIn, tokenOut) else { return nil }
        async let token0 = pair.token0()
        let (reserve0, reserve1) = try await pair.reserves()
        return try await token0 == tokenIn ? (reserve0, reserve1) : (reserve1, reserve0)
    }

    public func latestRound(feed: Address) async throws -> PriceFeed.Round {
        try await PriceFeed(address: feed, client: client).latestRound()
    }
}
