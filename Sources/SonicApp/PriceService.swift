import BigInt
import Ethereum
import Foundation
import SonicChain
import SonicConfig

/// What S is worth in US dollars, from the network's Chainlink-style S/USD feed
/// (`Network.defi.priceFeed`), read at most once per `ttl` seconds and refused when older than
/// `maximumAge`: a value is shown when it is known and the answer says why when it is not.
/// Only S and wS (one S each) have a price; other tokens have none here.
public final class PriceService: Sendable {
    /// The price of one S: the feed's integer answer with its decimals, and when it was set.
    public struct Price: Sendable, Equatable {
        public let answer: UInt256
        public let decimals: Int
        /// The round's time (Unix seconds, the chain's clock).
        public let updatedAt: UInt64
        public let feed: Address

        /// The value of `amount` base units of an asset worth one S per unit (`decimals` places)
        /// in whole US cents, rounded down: integers all the way.
        public func cents(of amount: UInt256, decimals assetDecimals: Int = 18) -> BigUInt {
            let scale = assetDecimals + decimals - 2
            let product = amount.value * answer.value
            return scale >= 0 ? product / BigUInt(10).power(scale) : product * BigUInt(10).power(-scale)
        }

        /// `cents(of:)` as people read dollars: "1,234.56", "0.00".
        public func dollars(of amount: UInt256, decimals assetDecimals: Int = 18) -> String {
            Self.dollars(cents: cents(of: amount, decimals: assetDecimals))
        }

        /// Whole cents as "1,234.56".
        public static func dollars(cents: BigUInt) -> String {
            let digits = String(cents)
            let padded = String(repeating: "0", count: max(0, 3 - digits.count)) + digits
            return Units.grouping(String(padded.dropLast(2))) + "." + padded.suffix(2)
        }

        /// The price of one S as "0.5", exact.
        public var perUnit: String { Units.format(answer, decimals: decimals) }
    }

    /// A price, or why there is none (said to the person as it is).
    public enum Reading: Sendable, Equatable {
        case known(Price)
        case unknown(reason: String)

        public var price: Price? {
            if case .known(let price) = self { return price }
            return nil
        }
    }

    let network: Network
    let reads: (any DeFiReads)?
    let clock: any TimeSource
    let maximumAge: UInt64
    private let cache: ReadCache<Reading>

    /// - Parameters:
    ///   - ttl: seconds a reading is shared (the feed changes at most every few minutes).
    ///   - maximumAge: a round older than this many seconds is stale: no price (`SONIC_PRICE_MAX_AGE`).
    init(network: Network, reads: (any DeFiReads)?, clock: any TimeSource, ttl: Double = 30, maximumAge: UInt64) {
        self.network = network
        self.reads = reads
        self.clock = clock
        self.maximumAge = maximumAge
        cache = ReadCache(ttl: ttl, capacity: 4)
    }

    /// The price of S now, or why it is not known: no feed on this network, the feed's answer
    /// stale or not a price, or the node not answering. Never throws: a missing price must not
    /// stop a balance or a preview.
    public func sPrice() async -> Reading {
        let symbol = network.nativeSymbol
        guard let feed = network.defi.priceFeed?.address, let reads else {
            return .unknown(reason: "no \(symbol)/USD price feed on \(network.name)")
        }
        let now = clock.now().timeIntervalSince1970
        let reading = try? await cache.value("S", now: now) { () async throws(AppError) -> Reading in
            let round: PriceFeed.Round
            do { round = try await reads.latestRound(feed: feed) } catch {
                return .unknown(reason: "the \(symbol)/USD price feed could not be read")
            }
            // The feed's time is the chain's; so is "now" for its age.
            let head = (try? await reads.headTime()) ?? UInt64(max(0, now))
            guard let answer = round.price(now: max(head, round.updatedAt), maximumAge: maximumAge) else {
                if round.answer.sign == .minus || round.answer.isZero { return .unknown(reason: "the \(symbol)/USD feed's answer is not a price") }
                let when = Date(timeIntervalSince1970: Double(round.updatedAt)).ISO8601Format()
                return .unknown(reason: "the \(symbol)/USD price is stale (last updated \(when))")
            }
            return .known(Price(answer: answer, decimals: round.decimals, updatedAt: round.updatedAt, feed: feed))
        }
        return reading ?? .unknown(reason: "the \(symbol)/USD price feed could not be read")
    }
}
