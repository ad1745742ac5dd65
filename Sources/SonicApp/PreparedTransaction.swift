import Dispatch
import Foundation
import Ethereum
import SonicChain

/// An unsigned transaction ready for the wallet, previewed: what it does, what it may cost,
/// and what simulating it said.
public struct PreparedTransaction: Encodable, Sendable {
    /// The JSON form `eth_sendTransaction` takes (hex quantities, its own field names).
    public struct UnsignedTransaction: Encodable, Sendable {
        public let from: String
        public let to: String
        public let value: String
        public let data: String
        public let nonce: String
        public let gas: String
        public let maxFeePerGas: String
        public let maxPriorityFeePerGas: String
        public let chainId: String
        public let type: String
    }

    public struct Fee: Encodable, Sendable {
        /// The most the fee can be: gas limit × max fee per gas, in wei.
        public let maxWei: String
        public let max: String
        /// What it is likely to be at today's base fee: estimated gas × (base fee + priority fee).
        public let estimatedWei: String
        public let estimated: String
        public let maxFeePerGasGwei: String
        public let symbol: String

        enum CodingKeys: String, CodingKey {
            case maxWei = "max_wei", max, estimatedWei = "estimated_wei", estimated, maxFeePerGasGwei = "max_fee_per_gas_gwei", symbol
        }
    }

    public struct Simulation: Encodable, Sendable {
        public let success: Bool
        public let reason: String?
        public let gasEstimate: UInt64?

        enum CodingKeys: String, CodingKey { case success, reason, gasEstimate = "gas_estimate" }
    }

    public let tx: UnsignedTransaction
    public let summary: String
    public let fee: Fee
    public let simulation: Simulation
    /// Why coins sent to the recipient could not be recovered, as codes the request
    /// acknowledged (`RecipientWarning`); empty for an ordinary recipient.
    public var warnings: [RecipientWarning] = []
    /// What the person should weigh before signing besides the recipient (`Notice`): an
    /// unverified token, an unlimited allowance, a spender we do not know. Absent when none.
    public var notices: [Notice]? = nil
    /// The S it sends and its fee in US dollars, or why they are not known.
    public let usd: USDValues
    /// The most the fee can cost, for balance checks (also in `fee.maxWei`).
    let maxFee: UInt256

    enum CodingKeys: String, CodingKey { case tx, summary, fee, simulation, usd, warnings, notices }

    /// The transaction's S (`tx.value`) and fees at the S/USD feed's price, in dollars with
    /// cents (rounded down), or `known: false` with the reason.
    public struct USDValues: Encodable, Sendable {
        public let known: Bool
        /// The price of one S, exact as the feed gave it ("0.5").
        public private(set) var price: String?
        public private(set) var value: String?
        public private(set) var feeMax: String?
        public private(set) var feeEstimated: String?
        /// When the feed's answer was set (ISO 8601).
        public private(set) var updatedAt: String?
        public private(set) var reason: String?

        // The members that are nil are left out of the JSON (synthesized `encodeIfPresent`).
        enum CodingKeys: String, CodingKey {
            case known, price, value, feeMax = "fee_max", feeEstimated = "fee_estimated", updatedAt = "updated_at", reason
        }

        init(_ reading: PriceService.Reading, value: UInt256, feeMax: UInt256, feeEstimated: UInt256) {
            switch reading {
            case .known(let price):
                known = true
                self.price = price.perUnit
                self.value = price.dollars(of: value)
                self.feeMax = price.dollars(of: feeMax)
                self.feeEstimated = price.dollars(of: feeEstimated)
                updatedAt = Date(timeIntervalSince1970: Double(price.updatedAt)).ISO8601Format()
            case .unknown(let reason):
                known = false
                self.reason = reason
            }
        }
    }

    /// A caution shown with the preview: a code for clients and the sentence for people.
    public struct Notice: Encodable, Sendable, Equatable {
        public enum Code: String, Encodable, Sendable {
            /// The token is not on the network's verified list: its name and symbol are only what it says.
            case unverifiedToken = "unverified_token"
            /// The allowance is unlimited (2^256 - 1): the spender may move every token, now and later.
            case unlimitedAllowance = "unlimited_allowance"
            /// The spender is neither one of our contracts nor a router the network profile names.
            case unknownSpender = "unknown_spender"
        }

        public let code: Code
        public let message: String
    }

    /// Adds `notice` to the preview.
    mutating func note(_ code: Notice.Code, _ message: String) {
        notices = (notices ?? []) + [Notice(code: code, message: message)]
    }
}

extension PreparedTransaction {
    /// Builds the preview for `request` (from, to, value, data) with the next nonce and fees.
    /// A reverting simulation is reported in `simulation`, not thrown: the person sees why, in
    /// the words `explain` gives the contract's reason (a custom error's plain reason), or as decoded.
    static func make(_ request: CallRequest, summary: String, context: ChainContext, gasMargin: Double = 0.2,
                     explain: (RevertReason) -> String? = { _ in nil }) async throws(AppError) -> PreparedTransaction {
        do {
            let from = request.from!
            async let price = context.prices.sPrice()
            let fees = try await context.suggestedFees()
            // The nonce and the simulation do not depend on each other: asked at once.
            let (nonceRead, estimateRead) = await context.chain.preview(request)
            let nonce = try nonceRead.get()
            var simulation: Simulation
            var gas: UInt64
            do {
                let estimate = try estimateRead.get()
                gas = try GasLimit.withMargin(estimate, margin: gasMargin)
                simulation = Simulation(success: true, reason: nil, gasEstimate: estimate)
            } catch {
                guard case .reverted(_, _, let reason) = error else { throw error }
                gas = request.data.isEmpty ? 21_000 : 100_000
                simulation = Simulation(success: false, reason: explain(reason) ?? reason.description, gasEstimate: nil)
            }
            let maxFee = fees.maxFee(gas: gas)
            let estimated = fees.likelyCost(gas: simulation.gasEstimate ?? gas)
            return PreparedTransaction(
                tx: UnsignedTransaction(
                    from: from.checksummed, to: request.to!.checksummed, value: (request.value ?? .zero).hexQuantity,
                    data: Hex.encode(request.data), nonce: Hex.quantity(nonce), gas: Hex.quantity(gas),
                    maxFeePerGas: fees.maxFeePerGas.hexQuantity, maxPriorityFeePerGas: fees.maxPriorityFeePerGas.hexQuantity,
                    chainId: Hex.quantity(context.network.chainID), type: "0x2"),
                summary: summary,
                fee: Fee(maxWei: maxFee.description, max: Units.format(maxFee, decimals: 18), estimatedWei: estimated.description,
                         estimated: Units.format(estimated, decimals: 18), maxFeePerGasGwei: Units.formatGwei(fees.maxFeePerGas),
                         symbol: context.network.nativeSymbol),
                simulation: simulation,
                usd: USDValues(await price, value: request.value ?? .zero, feeMax: maxFee, feeEstimated: estimated), maxFee: maxFee)
        } catch let error as ChainError {
            throw AppError(error)
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError.internalFailure(detail: "the transaction could not be prepared")
        }
    }
}
