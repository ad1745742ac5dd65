import BigInt
import Ethereum
import SonicAgent

/// DeFi requests carried out: staking reads and cards through `StakingService`, wrapping, swaps
/// and quotes through `SwapService`, each card the same previewed, simulated transaction the API
/// prepares. Allowances are `AgentService+Tokens.swift`; lending, liquidity and bridging are
/// answered by the planner with what they would need.
extension AgentService {
    /// The staking service over this agent's chain.
    var staking: StakingService { StakingService(context: context, history: history.repository) }

    /// The app's swap service (with its aggregator, when configured), or one over this agent's chain, tokens and allowances.
    var swaps: SwapService {
        if let swapService { return swapService }
        let tokens = tokens ?? TokenService(context: context, repository: nil)
        return SwapService(context: context, tokens: tokens, allowances: allowances ?? AllowanceService(context: context, repository: nil, tokens: tokens))
    }

    /// Carries out `request` for `owner` (signed in): a read, or cards for the wallet.
    func defi(_ request: DeFiRequest, owner signedIn: Address?) async -> (String, [Card], [Source]?) {
        let symbol = context.network.nativeSymbol
        do {
            if case .quote(let amount, let tokenIn, let tokenOut) = request {
                return (try await quote(amount, tokenIn, tokenOut, owner: signedIn), [], nil)
            }
            guard let owner = signedIn else { return (Self.signInFirst("whose \(symbol) this is about"), [], nil) }
            switch request {
            case .stakingPositions:
                return (try await positions(of: owner), [], nil)
            case .stake(let validator, let amount):
                let text = try await exact(amount, of: try await context.nativeBalance(of: owner), decimals: 18, token: symbol, keepsFee: true)
                return cards("stake", [try await staking.prepare(from: owner, action: "delegate", validator: UInt64(validator), amount: text, wrID: nil)])
            case .unstake(let validator, let amount):
                let overview = try await staking.overview(of: owner)
                let staked = overview.positions.first { $0.validator == UInt64(validator) }?.stake ?? .zero
                guard staked > .zero else { return ("You have nothing staked with validator \(validator), so there is nothing to unstake.", [], nil) }
                let text = try await exact(amount, of: staked, decimals: 18, token: "\(symbol) staked with validator \(validator)", keepsFee: false)
                return cards("unstake", [try await staking.prepare(from: owner, action: "undelegate", validator: UInt64(validator), amount: text, wrID: nil)])
            case .withdraw(let validator, let request):
                return try await withdraw(owner, validator: validator, request: request)
            case .claimRewards(let validator), .restake(let validator):
                let claim = if case .claimRewards = request { true } else { false }
                return try await rewards(owner, validator: validator, claim: claim)
            case .wrap(let amount), .unwrap(let amount):
                let wrap = if case .wrap = request { true } else { false }
                return try await swap(owner, amount, wrap ? .native : .symbol("WS"), wrap ? .symbol("WS") : .native, slippage: nil)
            case .swap(let amount, let tokenIn, let tokenOut, let slippage):
                return try await swap(owner, amount, tokenIn, tokenOut, slippage: slippage)
            case .quote, .showApprovals, .revoke:
                return ("", [], nil)  // answered above and in AgentService+Tokens.swift
            }
        } catch {
            return (error.sentence, [], nil)
        }
    }

    /// "You stake 100 S with validator 3 (0.0015 S of rewards to claim)…", the requests with when each opens.
    func positions(of owner: Address) async throws(AppError) -> String {
        let overview = try await staking.overview(of: owner)
        var lines = overview.positions.map { position in
            "• \(position.stakeFormatted) with validator \(position.validator), \(position.rewardsFormatted) of rewards to claim"
        }
        lines += overview.withdrawals.map { request in
            "• \(request.amountFormatted) unstaked from validator \(request.validator) (request \(request.wrID)): "
                + (request.open ? "open: say \"withdraw my unstaked S\"" : "opens on \(request.opensAt), once epoch \(request.opensEpoch) has begun")
        }
        guard !lines.isEmpty else {
            return "You have nothing staked and no withdrawal waiting. Say \"stake 100 S with validator 1\" to start; "
                + "active validators: \(overview.validators.filter(\.active).map { String($0.id) }.joined(separator: ", "))."
        }
        let total = Units.exact(overview.totalStaked, decimals: 18)
        return (["You stake \(total) \(context.network.nativeSymbol) in all (epoch \(overview.epoch)):"] + lines).joined(separator: "\n")
    }

    /// A withdrawal card for each open request that `validator` and `request` pick out; when none
    /// is open yet, when each opens.
    private func withdraw(_ owner: Address, validator: Int?, request: Int?) async throws(AppError) -> (String, [Card], [Source]?) {
        let waiting = try await staking.overview(of: owner).withdrawals.filter { withdrawal in
            (validator.map { withdrawal.validator == UInt64($0) } ?? true) && (request.map { withdrawal.wrID == UInt64($0) } ?? true)
        }
        guard !waiting.isEmpty else { return ("You have no unstaked \(context.network.nativeSymbol) waiting to be withdrawn there. Unstake first.", [], nil) }
        let open = waiting.filter(\.open)
        guard !open.isEmpty else {
            let when = waiting.map { "\($0.amountFormatted) from validator \($0.validator) opens on \($0.opensAt), once epoch \($0.opensEpoch) has begun" }
            return ("Not yet: " + when.joined(separator: "; ") + ".", [], nil)
        }
        var prepared: [PreparedTransaction] = []
        for withdrawal in open.prefix(Self.maxCards) {
            prepared.append(try await staking.prepare(from: owner, action: "withdraw", validator: withdrawal.validator, amount: nil, wrID: withdrawal.wrID))
        }
        return cards("withdrawal", prepared)
    }

    /// A claim or restake card for `validator`, or for each validator with rewards.
    private func rewards(_ owner: Address, validator: Int?, claim: Bool) async throws(AppError) -> (String, [Card], [Source]?) {
        let action = claim ? "claim" : "restake"
        let earning = try await staking.overview(of: owner).positions.filter { position in
            position.rewards > .zero && (validator.map { position.validator == UInt64($0) } ?? true)
        }
        guard !earning.isEmpty else {
            return ("Nothing to \(action) yet\(validator.map { " from validator \($0)" } ?? ""): rewards arrive as epochs are sealed.", [], nil)
        }
        var prepared: [PreparedTransaction] = []
        for position in earning.prefix(Self.maxCards) {
            prepared.append(try await staking.prepare(from: owner, action: action, validator: position.validator, amount: nil, wrID: nil))
        }
        return cards(action, prepared)
    }

    /// The swap (or wrap) card, or first the router's approval for exactly the amount.
    private func swap(_ owner: Address, _ amount: DeFiAmount, _ tokenIn: TokenReference, _ tokenOut: TokenReference, slippage: Slippage?)
        async throws(AppError) -> (String, [Card], [Source]?)
    {
        let asset = try await swaps.asset(name(tokenIn), owner: owner, field: "token_in")
        let balance: UInt256
        if let token = asset.address {
            do { balance = try await context.chain.tokenBalance(token, of: owner) } catch { throw AppError.chain(error, what: "a token contract") }
        } else {
            balance = try await context.nativeBalance(of: owner)
        }
        let text = try await exact(amount, of: balance, decimals: asset.decimals, token: asset.symbol, keepsFee: asset.address == nil)
        let prepared = try await swaps.prepare(from: owner, tokenIn: name(tokenIn), tokenOut: name(tokenOut), amount: text,
                                               slippage: slippage.map { String($0.percent.dropLast()) }, minimumOut: nil)
        if let approval = prepared.approval {
            let (reply, cards, _) = cards("approval", [approval])
            return (reply + " The router may not spend your \(asset.symbol) yet; once this approval is confirmed, ask again and I'll prepare the swap.",
                    cards, nil)
        }
        guard let transaction = prepared.transaction else { return ("Nothing was prepared.", [], nil) }
        let quote = prepared.quote
        let what = quote.kind == .swap ? "swap" : quote.kind.rawValue
        var (reply, cards, _) = cards(what, [transaction])
        if quote.kind == .swap {
            reply += " Route \(quote.route.joined(separator: " → "))\(quote.sourceText), slippage \(quote.slippagePercent)%, \(quote.impactText), "
                + "deadline \(quote.deadlineAt)."
        }
        return (reply, cards, nil)
    }

    /// "100 SUSD would get about 199.4 S now: at least 198.4 S with 0.5% slippage, …".
    private func quote(_ amount: DeFiAmount, _ tokenIn: TokenReference, _ tokenOut: TokenReference, owner: Address?) async throws(AppError) -> String {
        guard case .exactly(let written) = amount else {
            return "Tell me an amount to quote, e.g. \"what would 100 \(name(tokenIn)) get me in \(name(tokenOut))\"."
        }
        let quote = try await swaps.quote(tokenIn: name(tokenIn), tokenOut: name(tokenOut), amount: written.text, slippage: nil, owner: owner)
        let out = quote.tokenOut.named
        guard quote.kind == .swap else { return "\(quote.amountInFormatted) \(quote.tokenIn.named) \(quote.kind.rawValue)s one for one into \(quote.expectedOutFormatted) \(out)." }
        let fees = quote.fees.isEmpty ? "fees in the price" : "pools' fee " + quote.fees.map { "\($0.formatted) \($0.token)" }.joined(separator: " and ")
        return "\(quote.amountInFormatted) \(quote.tokenIn.named) would get about \(quote.expectedOutFormatted) \(out) now\(quote.sourceText): at least "
            + "\(quote.minimumOutFormatted) \(out) with \(quote.slippagePercent)% slippage, \(quote.impactText), "
            + "route \(quote.route.joined(separator: " → ")), \(fees). Nothing was prepared: say \"swap …\" to trade."
    }

    /// The reply for prepared cards: each summary and fee, and what the simulation said.
    func cards(_ what: String, _ prepared: [PreparedTransaction]) -> (String, [Card], [Source]?) {
        let symbol = context.network.nativeSymbol
        let lines = prepared.map { card in
            var line = "\(card.summary). The fee is about \(Self.fee(card.fee.estimatedWei)) \(symbol)."
            for notice in card.notices ?? [] { line += " Careful: \(notice.message)" }
            if !card.simulation.success { line += " Careful: it would fail: \(card.simulation.reason ?? "reverted")." }
            return line
        }
        let reply = (prepared.count == 1 ? "Here is the \(what) to check: " : "Here are \(prepared.count) \(what)s to check: ") + lines.joined(separator: " ")
        return (reply + (prepared.allSatisfy(\.simulation.success) ? " Confirm it in your wallet." : ""), prepared.map(Card.transaction), nil)
    }

    /// At most this many cards in one answer (withdrawals, claims).
    static let maxCards = 5

    /// The exact decimal text of `amount`: as written, or its share of `total`. All of the native
    /// coin is refused when the fee must come from it too.
    private func exact(_ amount: DeFiAmount, of total: UInt256, decimals: Int, token: String, keepsFee: Bool) async throws(AppError) -> String {
        switch amount {
        case .exactly(let written): return written.text
        case .share(.all) where keepsFee:
            throw .invalidInput(field: "amount", summary: "Exact amount needed",
                                detail: "say an exact amount: all your \(token) would leave nothing for the fee")
        case .share(.all): return Units.format(total, decimals: decimals)
        case .share(.fraction(let numerator, let denominator)):
            let part = UInt256(total.value * BigUInt(max(numerator, 0)) / BigUInt(max(denominator, 1))) ?? .zero
            return Units.format(part, decimals: decimals)
        }
    }

    /// How the swap service names `reference`.
    private func name(_ reference: TokenReference) -> String { reference.name(nativeSymbol: context.network.nativeSymbol) }
}
