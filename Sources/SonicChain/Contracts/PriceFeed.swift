import BigInt
import Ethereum

/// A Chainlink-style price feed (AggregatorV3Interface): `latestRoundData` and `decimals`.
/// The devnet's S/USD feed has the same reads; its owner sets answers for tests.
public struct PriceFeed: Sendable {
    public static let decimals = Contract.signature("function decimals() view returns (uint8)")
    public static let latestRoundData = Contract.signature(
        "function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)")

    /// One round: the price as an integer with `decimals` places, and when it was last updated.
    public struct Round: Sendable, Hashable {
        public let roundID: UInt256
        /// Negative answers exist in Chainlink's type; a price below or at zero is not a price.
        public let answer: BigInt
        public let updatedAt: UInt64
        public let decimals: Int

        public init(roundID: UInt256, answer: BigInt, updatedAt: UInt64, decimals: Int) {
            self.roundID = roundID
            self.answer = answer
            self.updatedAt = updatedAt
            self.decimals = decimals
        }

        /// The price when it is positive and at most `maximumAge` seconds old at `now`; nil
        /// otherwise (stale, or not a price): say that the value is unknown, never guess.
        public func price(now: UInt64, maximumAge: UInt64) -> UInt256? {
            guard answer.sign == .plus, !answer.isZero, updatedAt <= now, now - updatedAt <= maximumAge else { return nil }
            return UInt256(answer.magnitude)
        }
    }

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    /// The latest round with the feed's decimals.
    public func latestRound() async throws -> Round {
        let decimalsValue = try await contract.read(Self.decimals).uint(Self.decimals).value
        let values = try await contract.read(Self.latestRoundData)
        guard values.count == 5, let roundID = values[0].uint256, case .int(let answer) = values[1], let updatedAt = values[3].uint256?.uint64,
              let decimals = Int(exactly: decimalsValue), decimals <= 255 else {
            throw UnexpectedOutput(function: Self.latestRoundData.canonical)
        }
        return Round(roundID: roundID, answer: answer, updatedAt: updatedAt, decimals: decimals)
    }
}
