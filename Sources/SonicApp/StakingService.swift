import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore

/// Native staking through the SFC: the validators, an address's stake and pending rewards with
/// each, its withdrawal requests with the date each opens, and the delegator's transactions
/// (delegate, undelegate, withdraw, claim, restake) previewed and simulated for the wallet, an
/// SFC custom error explained in plain words before anything is signed. The withdrawal periods
/// are read from the ConstantsManager each time, never kept in code.
public struct StakingService: Sendable {
    let context: ChainContext
    /// The indexed history, where the address's `unstake` entries name the transactions whose
    /// `Undelegated` events give its withdrawal requests when the node refuses a log query over
    /// the whole chain; nil without a database.
    let history: (any HistoryRepository)?

    /// At most this many indexed undelegations are read back (their receipts are one batch).
    static let maxIndexedRequests = 200

    public init(context: ChainContext, history: (any HistoryRepository)? = nil) {
        self.context = context
        self.history = history
    }

    public struct Validator: Encodable, Sendable {
        public let id: UInt64
        /// "active", "offline", "withdrawn, offline", …
        public let status: String
        public let active: Bool
        /// All stake it has received, its own included, in wei, and in S.
        public let stake: UInt256
        public let stakeFormatted: String

        enum CodingKeys: String, CodingKey { case id, status, active, stake, stakeFormatted = "stake_formatted" }
    }

    /// What the address has with one validator.
    public struct Position: Encodable, Sendable {
        public let validator: UInt64
        public let stake: UInt256
        public let stakeFormatted: String
        /// Rewards it may claim or restake now (sealed epochs only).
        public let rewards: UInt256
        public let rewardsFormatted: String

        enum CodingKeys: String, CodingKey {
            case validator, stake, stakeFormatted = "stake_formatted", rewards = "pending_rewards", rewardsFormatted = "pending_rewards_formatted"
        }
    }

    /// An undelegation waiting to be withdrawn, and when it opens: both periods after it was made.
    public struct Withdrawal: Encodable, Sendable {
        public let validator: UInt64
        public let wrID: UInt64
        public let amount: UInt256
        public let amountFormatted: String
        public let requestedEpoch: UInt64
        public let requestedAt: String
        /// It may be withdrawn from this time (RFC 3339, UTC) once `opensEpoch` has begun.
        public let opensAt: String
        public let opensEpoch: UInt64
        /// Whether both have passed now, on the chain's clock.
        public let open: Bool

        enum CodingKeys: String, CodingKey {
            case validator, wrID = "wr_id", amount, amountFormatted = "amount_formatted", requestedEpoch = "requested_epoch",
                 requestedAt = "requested_at", opensAt = "opens_at", opensEpoch = "opens_epoch", open
        }
    }

    /// The ConstantsManager's withdrawal periods as read now.
    public struct Periods: Encodable, Sendable {
        public let seconds: UInt64
        public let epochs: UInt64
    }

    /// GET /api/staking/{address}.
    public struct Overview: Encodable, Sendable {
        public let address: Address
        public let network: String
        public let epoch: UInt64
        public let withdrawalPeriod: Periods
        /// The share of each validator's rewards it keeps before its delegators' (the same for
        /// every validator), in percent: "15".
        public let commissionPercent: String
        public let validators: [Validator]
        /// Validators the address has stake or rewards with, by validator.
        public let positions: [Position]
        /// Its open withdrawal requests, oldest first.
        public let withdrawals: [Withdrawal]
        public let totalStaked: UInt256
        public let totalRewards: UInt256

        enum CodingKeys: String, CodingKey {
            case address, network, epoch, withdrawalPeriod = "withdrawal_period", commissionPercent = "commission_percent", validators,
                 positions, withdrawals,
                 totalStaked = "total_staked", totalRewards = "total_pending_rewards"
        }
    }

    /// What a delegator may ask the SFC to do.
    public enum Action: String, CaseIterable, Sendable {
        case delegate, undelegate, withdraw, claim, restake
    }

    /// The SFC's address and its reads, or why staking cannot be used on this network.
    private func staking() throws(AppError) -> (sfc: Address, reads: any DeFiReads) {
        guard let sfc = context.network.defi.sfc?.address, let reads = context.defi else {
            throw .unavailable(summary: "Staking not available", detail: "staking through the SFC is not available on \(context.network.name)")
        }
        return (sfc, reads)
    }

    /// The validators, `address`'s positions and withdrawal requests, and the periods, read now.
    public func overview(of address: Address) async throws(AppError) -> Overview {
        let (sfc, reads) = try staking()
        return try await chainCall { () async throws -> Overview in
            async let periodsRead = reads.withdrawalPeriods(sfc: sfc)
            async let commissionRead = reads.validatorCommission(sfc: sfc)
            async let epochRead = reads.currentEpoch(sfc: sfc)
            async let nowRead = reads.headTime()
            async let undelegationsRead = undelegations(sfc: sfc, reads: reads, of: address)
            let validators = try await reads.validators(sfc: sfc)
            let held = try await reads.positions(sfc: sfc, of: address, validators: validators.map(\.id))
            let (periods, epoch, now) = (try await periodsRead, try await epochRead, try await nowRead)
            let positions = zip(validators, held).filter { !$0.1.stake.value.isZero || !$0.1.rewards.value.isZero }.map { validator, position in
                Position(validator: validator.id, stake: position.stake, stakeFormatted: Self.s(position.stake), rewards: position.rewards,
                         rewardsFormatted: Self.s(position.rewards))
            }
            var withdrawals: [Withdrawal] = []
            var seen = Set<[UInt64]>()
            for (validatorID, id) in try await undelegationsRead where seen.insert([validatorID, id]).inserted {
                guard let request = try await reads.withdrawalRequest(sfc: sfc, of: address, validator: validatorID, id: id) else { continue }
                let opening = request.opening(periodTime: periods.time, periodEpochs: periods.epochs,
                                              validator: validators.first { $0.id == validatorID })
                withdrawals.append(Withdrawal(validator: validatorID, wrID: id, amount: request.amount, amountFormatted: Self.s(request.amount),
                                              requestedEpoch: request.epoch, requestedAt: Self.date(request.time), opensAt: Self.date(opening.time),
                                              opensEpoch: opening.epoch, open: now >= opening.time && epoch >= opening.epoch))
            }
            let total = positions.reduce(into: (stake: UInt256.zero, rewards: UInt256.zero)) { sum, position in
                sum.stake = sum.stake.adding(position.stake) ?? .max
                sum.rewards = sum.rewards.adding(position.rewards) ?? .max
            }
            return Overview(address: address, network: context.network.name, epoch: epoch,
                            withdrawalPeriod: Periods(seconds: periods.time, epochs: periods.epochs),
                            commissionPercent: Units.exact(try await commissionRead, decimals: 16),
                            validators: validators.map { Validator(id: $0.id, status: $0.status.description, active: $0.isActive,
                                                                   stake: $0.receivedStake, stakeFormatted: Self.s($0.receivedStake)) },
                            positions: positions, withdrawals: withdrawals, totalStaked: total.stake, totalRewards: total.rewards)
        }
    }

    /// A delegator's transaction previewed and simulated: `action` with `validator`, with
    /// `amount` (decimal S) to delegate or undelegate, and the withdrawal request `wrID` to
    /// withdraw (or to use for an undelegation; a new unused one by default).
    /// - Throws: `invalidInput` naming the field (an unknown action, a missing or unknown
    ///   validator, a missing, zero or over-precise amount, more than is staked, a request id
    ///   already used); `conflict` when there is no such request to withdraw; not enough S for
    ///   the amount and the fee. A failure the SFC would answer (an inactive validator, nothing to
    ///   claim, a withdrawal too early) is the preview's `simulation.reason`, in plain words.
    public func prepare(from: Address, action text: String, validator validatorID: UInt64?, amount: String?, wrID: UInt64?)
        async throws(AppError) -> PreparedTransaction
    {
        let (sfc, reads) = try staking()
        guard let action = Action(rawValue: text.lowercased()) else {
            throw .invalidInput(field: "action", summary: "Unknown action",
                                detail: "action \"\(KnownToken.shown(text))\" is not one we know: use one of "
                                    + Action.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let validators = try await chainCall { () async throws in try await reads.validators(sfc: sfc) }
        guard let validatorID else {
            throw .invalidInput(field: "validator", summary: "Missing validator",
                                detail: "validator is required: the number of the validator (\(Self.range(validators)))")
        }
        guard let validator = validators.first(where: { $0.id == validatorID }) else {
            throw .invalidInput(field: "validator", summary: "Unknown validator",
                                detail: "validator: there is no validator \(validatorID) on \(context.network.name) (\(Self.range(validators)))")
        }
        if action != .delegate, action != .undelegate, amount != nil {
            throw .invalidInput(field: "amount", summary: "Amount not taken", detail: "amount: \(action.rawValue) takes no amount (it moves all there is)")
        }
        var opening: (time: UInt64, epoch: UInt64)?
        let call: CallRequest
        let summary: String
        do {
            switch action {
            case .delegate:
                let value = try requiredAmount(amount, action)
                call = try SFC.delegateRequest(sfc: sfc, validator: validatorID, amount: value, from: from)
                summary = "Stake \(Self.s(value)) with validator \(validatorID)" + (validator.isActive ? "" : " (\(validator.status))")
            case .undelegate:
                let value = try requiredAmount(amount, action)
                let staked = try await chainCall { () async throws in try await reads.positions(sfc: sfc, of: from, validators: [validatorID]).first?.stake ?? .zero }
                guard value <= staked else {
                    throw AppError.invalidInput(field: "amount", summary: "More than staked",
                                                detail: "amount: you have \(Self.s(staked)) staked with validator \(validatorID); unstake at most that")
                }
                let id = try await unusedRequestID(wrID, sfc: sfc, reads: reads, of: from, validator: validatorID)
                let (periods, epoch, now) = try await chainCall { () async throws in
                    (try await reads.withdrawalPeriods(sfc: sfc), try await reads.currentEpoch(sfc: sfc), try await reads.headTime())
                }
                let opens = SFC.WithdrawalRequest(validatorID: validatorID, id: id, epoch: epoch, time: now, amount: value)
                    .opening(periodTime: periods.time, periodEpochs: periods.epochs, validator: validator)
                call = try SFC.undelegateRequest(sfc: sfc, validator: validatorID, requestID: id, amount: value, from: from)
                summary = "Unstake \(Self.s(value)) from validator \(validatorID) (withdrawal request \(id)); it can be withdrawn from "
                    + "\(Self.date(opens.time)) once epoch \(opens.epoch) has begun"
            case .withdraw:
                let request = try await openRequest(wrID, sfc: sfc, reads: reads, of: from, validator: validatorID)
                let periods = try await chainCall { () async throws in try await reads.withdrawalPeriods(sfc: sfc) }
                opening = request.opening(periodTime: periods.time, periodEpochs: periods.epochs, validator: validator)
                call = try SFC.withdrawRequest(sfc: sfc, validator: validatorID, requestID: request.id, from: from)
                summary = "Withdraw \(Self.s(request.amount)) unstaked from validator \(validatorID) (withdrawal request \(request.id))"
            case .claim, .restake:
                let rewards = try await chainCall { () async throws in
                    try await reads.positions(sfc: sfc, of: from, validators: [validatorID]).first?.rewards ?? .zero
                }
                if action == .claim {
                    call = try SFC.claimRewardsRequest(sfc: sfc, validator: validatorID, from: from)
                    summary = "Claim \(Self.s(rewards)) of rewards from validator \(validatorID)"
                } else {
                    call = try SFC.restakeRewardsRequest(sfc: sfc, validator: validatorID, from: from)
                    summary = "Restake \(Self.s(rewards)) of rewards with validator \(validatorID)"
                }
            }
        } catch let error as AppError {
            throw error
        } catch {
            throw .internalFailure(detail: "the staking call could not be encoded")
        }
        let prepared = try await PreparedTransaction.make(call, summary: summary, context: context) { [opening] reason in
            SFC.Failure(reason: reason).map { $0.explanation(opening: opening) }
        }
        let needed = (call.value ?? .zero).adding(prepared.maxFee) ?? .max
        try context.require(try await context.nativeBalance(of: from), covers: needed,
                            for: call.value == nil ? "the fee" : "the amount and the fee", field: call.value == nil ? "from" : "amount")
        return prepared
    }

    /// `amount` in S, required for `action`.
    private func requiredAmount(_ amount: String?, _ action: Action) throws(AppError) -> UInt256 {
        guard let amount else {
            throw .invalidInput(field: "amount", summary: "Missing amount", detail: "amount is required to \(action.rawValue): how much S, e.g. \"100\" or \"0.5\"")
        }
        return try Validate.amount(amount, decimals: 18, symbol: context.network.nativeSymbol, field: "amount")
    }

    /// `wrID` when it is unused with `validator`, else the next number after every request the
    /// delegator made with it (its `Undelegated` events), checked unused on chain.
    private func unusedRequestID(_ wrID: UInt64?, sfc: Address, reads: any DeFiReads, of delegator: Address, validator: UInt64)
        async throws(AppError) -> UInt64
    {
        try await chainCall { () async throws -> UInt64 in
            if let wrID {
                guard try await reads.withdrawalRequest(sfc: sfc, of: delegator, validator: validator, id: wrID) == nil else {
                    throw AppError.invalidInput(field: "wr_id", summary: "Request id in use",
                                                detail: "wr_id: withdrawal request \(wrID) with validator \(validator) is waiting to be withdrawn; "
                                                    + "leave wr_id out to use a new one")
                }
                return wrID
            }
            let used = try await undelegations(sfc: sfc, reads: reads, of: delegator).filter { $0.validator == validator }.map(\.id)
            var id = min(used.max() ?? 0, .max - 1) + 1
            while id < .max, try await reads.withdrawalRequest(sfc: sfc, of: delegator, validator: validator, id: id) != nil { id += 1 }
            return id
        }
    }

    /// The waiting request `wrID` with `validator`, or the only one when `wrID` is nil.
    private func openRequest(_ wrID: UInt64?, sfc: Address, reads: any DeFiReads, of delegator: Address, validator: UInt64)
        async throws(AppError) -> SFC.WithdrawalRequest
    {
        try await chainCall { () async throws -> SFC.WithdrawalRequest in
            if let wrID {
                guard let request = try await reads.withdrawalRequest(sfc: sfc, of: delegator, validator: validator, id: wrID) else {
                    throw AppError.conflict(summary: "No such withdrawal request",
                                            detail: "there is no withdrawal request \(wrID) with validator \(validator) (never made, or already withdrawn)")
                }
                return request
            }
            var waiting: [SFC.WithdrawalRequest] = []
            for id in Set(try await undelegations(sfc: sfc, reads: reads, of: delegator).filter { $0.validator == validator }.map(\.id)).sorted() {
                if let request = try await reads.withdrawalRequest(sfc: sfc, of: delegator, validator: validator, id: id) { waiting.append(request) }
            }
            guard let only = waiting.first, waiting.count == 1 else {
                if waiting.isEmpty {
                    throw AppError.conflict(summary: "Nothing to withdraw",
                                            detail: "you have no unstaked S waiting with validator \(validator): unstake (undelegate) first")
                }
                throw AppError.invalidInput(field: "wr_id", summary: "Which request",
                                            detail: "wr_id is required: you have \(waiting.count) withdrawal requests with validator \(validator) ("
                                                + waiting.map { "\($0.id): \(Self.s($0.amount))" }.joined(separator: ", ") + ")")
            }
            return only
        }
    }

    /// The withdrawal requests `delegator` made: its `Undelegated` events asked of the node, or,
    /// when the node refuses that query (a provider's limit on the blocks a log query spans), read
    /// from the receipts of its indexed `unstake` transactions.
    func undelegations(sfc: Address, reads: any DeFiReads, of delegator: Address) async throws -> [(validator: UInt64, id: UInt64)] {
        do {
            return try await reads.undelegations(sfc: sfc, of: delegator)
        } catch {
            guard let history else { throw error }
            let entries = try await history.history(HistoryQuery(address: delegator, limit: Self.maxIndexedRequests, kind: .unstake))
            let hashes = entries.map(\.hash).reduce(into: [Hash32]()) { if !$0.contains($1) { $0.append($1) } }
            guard !hashes.isEmpty else { return [] }
            return try await context.chain.receipts(hashes).reversed().flatMap { result -> [(validator: UInt64, id: UInt64)] in
                guard let receipt = try result.get() else { return [] }
                return receipt.logs.filter { $0.address == sfc }.compactMap { log in
                    guard case .undelegated(delegator, let validator, let id, _)? = try? SFC.Event(log: log) else { return nil }
                    return (validator, id)
                }
            }
        }
    }

    /// A read of the DeFi contracts, its failure as the problem the person sees (an `AppError` as it is).
    private func chainCall<Value>(_ body: () async throws -> Value) async throws(AppError) -> Value {
        do { return try await body() } catch { throw AppError.chain(error, what: "the staking contract") }
    }

    /// "validators 1 to 4".
    private static func range(_ validators: [SFC.Validator]) -> String {
        guard let first = validators.first?.id, let last = validators.last?.id else { return "there are none" }
        return first == last ? "the only one is \(first)" : "validators \(first) to \(last)"
    }

    static func s(_ amount: UInt256) -> String { Units.exact(amount, decimals: 18) + " S" }

    static func date(_ time: UInt64) -> String { Date(timeIntervalSince1970: TimeInterval(time)).formatted(.iso8601) }
}
