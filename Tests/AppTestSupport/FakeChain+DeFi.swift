import BigInt
import Ethereum
import SonicApp
import SonicChain

/// The SFC and the V2 pools of a `FakeChain`, set up by the test.
public struct FakeDeFi {
    public var periods: (time: UInt64, epochs: UInt64) = (3_600, 2)
    /// 15 %, with 10^18 for all of the rewards.
    public var commission = UInt256(150_000_000_000_000_000)
    public var epoch: UInt64 = 2
    /// The latest block's time.
    public var headTime: UInt64 = 1_800_000_000
    public var validators: [SFC.Validator] = []
    /// Stake and pending rewards by delegator and validator.
    public var stakes: [Address: [UInt64: UInt256]] = [:]
    public var rewards: [Address: [UInt64: UInt256]] = [:]
    /// Withdrawal requests waiting, and every (validator, id) undelegated, by delegator.
    public var requests: [Address: [SFC.WithdrawalRequest]] = [:]
    public var undelegated: [Address: [(validator: UInt64, id: UInt64)]] = [:]
    /// Pools by their two tokens (in either order): the reserve of each.
    public var pools: [Set<Address>: [Address: UInt256]] = [:]
    /// The node refuses log queries over the whole chain, as some providers do.
    public var refusesLogs = false
    /// The S/USD feed's latest round (0.50 USD with 8 decimals, updated at `headTime`).
    public var priceRound = PriceFeed.Round(roundID: 1, answer: 50_000_000, updatedAt: 1_800_000_000, decimals: 8)
    /// How many times the feed was read.
    public var priceReads = 0

    public init() {}

    public mutating func pool(_ a: Address, _ reserveA: UInt256, _ b: Address, _ reserveB: UInt256) {
        pools[[a, b]] = [a: reserveA, b: reserveB]
    }
}

extension FakeChain: DeFiReads {
    /// `body` on the DeFi state; a refused connection while the node is down.
    private func defi<Value>(_ body: (FakeDeFi) -> Value) throws -> Value {
        let (down, state) = withState { ($0.down, $0.defi) }
        if down { throw ChainError.transport(endpoint: "fake", method: "eth_call", message: "Connection refused") }
        return body(state)
    }

    public func withdrawalPeriods(sfc: Address) throws -> (time: UInt64, epochs: UInt64) { try defi { $0.periods } }
    public func validatorCommission(sfc: Address) throws -> UInt256 { try defi { $0.commission } }
    public func currentEpoch(sfc: Address) throws -> UInt64 { try defi { $0.epoch } }
    public func headTime() throws -> UInt64 { try defi { $0.headTime } }
    public func validators(sfc: Address) throws -> [SFC.Validator] { try defi { $0.validators } }

    public func positions(sfc: Address, of delegator: Address, validators: [UInt64]) throws -> [(stake: UInt256, rewards: UInt256)] {
        try defi { state in validators.map { (state.stakes[delegator]?[$0] ?? .zero, state.rewards[delegator]?[$0] ?? .zero) } }
    }

    public func undelegations(sfc: Address, of delegator: Address) throws -> [(validator: UInt64, id: UInt64)] {
        if try defi({ $0.refusesLogs }) {
            throw ChainError.rpc(endpoint: "fake", method: "eth_getLogs", code: -32005, message: "query exceeds max block range 10000", data: nil)
        }
        return try defi { $0.undelegated[delegator] ?? [] }
    }

    public func withdrawalRequest(sfc: Address, of delegator: Address, validator: UInt64, id: UInt64) throws -> SFC.WithdrawalRequest? {
        try defi { $0.requests[delegator]?.first { $0.validatorID == validator && $0.id == id } }
    }

    /// The V2 maths on the test's pools, step by step.
    public func amountsOut(router: Address, amountIn: UInt256, path: [Address]) throws -> [UInt256] {
        try defi { state in
            var amounts = [amountIn]
            for (tokenIn, tokenOut) in zip(path, path.dropFirst()) {
                let pool = state.pools[[tokenIn, tokenOut]] ?? [:]
                amounts.append(UniswapV2Pair.amountOut(amounts.last!, reserveIn: pool[tokenIn] ?? .zero, reserveOut: pool[tokenOut] ?? .zero) ?? .zero)
            }
            return amounts
        }
    }

    public func reserves(factory: Address, _ tokenIn: Address, _ tokenOut: Address) throws -> (reserveIn: UInt256, reserveOut: UInt256)? {
        try defi { state in state.pools[[tokenIn, tokenOut]].map { ($0[tokenIn] ?? .zero, $0[tokenOut] ?? .zero) } }
    }

    public func latestRound(feed: Address) throws -> PriceFeed.Round {
        let down = withState { $0.down }
        if down { throw ChainError.transport(endpoint: "fake", method: "eth_call", message: "Connection refused") }
        return withState { state in
            state.defi.priceReads += 1
            return state.defi.priceRound
        }
    }
}
