import Ethereum

/// An action as JSON, for `sonic agent converse` and the conversation suite
/// (Tests/Fixtures/agent-conversations.jsonl): `kind` and the action's values as text:
/// addresses checksummed, amounts as written, tokens by symbol, a question's or reason's `text`.
extension Action: Encodable {
    enum CodingKeys: String, CodingKey {
        case kind, address, from, to, amount, token, share, transfers, next, limit, period, flow, hash, months, name, description
        case tokenIn = "token_in", tokenOut = "token_out", text, operation, validator, slippage, request, spender
        case alert, minimum, days
    }

    /// The name of the case: "send", "clarify", "refuse"…
    public var kind: String {
        switch self {
        case .balance: "balance"
        case .balances: "balances"
        case .history: "history"
        case .status: "status"
        case .subscriptionStatus: "subscription_status"
        case .gasPrice: "gas_price"
        case .transferCost: "transfer_cost"
        case .send: "send"
        case .sendShare: "send_share"
        case .sendSeveral: "send_several"
        case .subscribe: "subscribe"
        case .mint: "mint"
        case .defi: "defi"
        case .defiInfo: "defi_info"
        case .answer: "answer"
        case .alert: "alert"
        case .smallTalk: "small_talk"
        case .confirmInWallet: "confirm_in_wallet"
        case .clarify: "clarify"
        case .refuse: "refuse"
        case .cancelled: "cancelled"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        func token(_ reference: TokenReference) -> String { reference.name(nativeSymbol: "S") }
        switch self {
        case .balance(let address, let reference):
            try container.encode(address.checksummed, forKey: .address)
            try container.encode(token(reference), forKey: .token)
        case .balances(let address), .subscriptionStatus(let address):
            try container.encode(address.checksummed, forKey: .address)
        case .history(let address, let limit, let period, let flow):
            try container.encode(address.checksummed, forKey: .address)
            try container.encodeIfPresent(limit, forKey: .limit)
            try container.encodeIfPresent(period?.phrase, forKey: .period)
            try container.encodeIfPresent(flow?.rawValue, forKey: .flow)
        case .status(let hash):
            try container.encode(hash.description, forKey: .hash)
        case .send(let from, let to, let amount, let reference), .transferCost(let from, let to, let amount, let reference):
            try container.encode(from.checksummed, forKey: .from)
            try container.encode(to.checksummed, forKey: .to)
            try container.encode(amount.text, forKey: .amount)
            try container.encode(token(reference), forKey: .token)
        case .sendShare(let from, let to, let share, let reference):
            try container.encode(from.checksummed, forKey: .from)
            try container.encode(to.checksummed, forKey: .to)
            try container.encode(share.describe(token(reference)), forKey: .share)
            try container.encode(token(reference), forKey: .token)
        case .sendSeveral(let from, let transfers, let next):
            try container.encode(from.checksummed, forKey: .from)
            try container.encode(transfers.map { "\($0.amount.text) \(token($0.token)) to \($0.to.checksummed)" }, forKey: .transfers)
            try container.encode(next, forKey: .next)
            try container.encode(transfers[next].to.checksummed, forKey: .to)
            try container.encode(transfers[next].amount.text, forKey: .amount)
            try container.encode(token(transfers[next].token), forKey: .token)
        case .subscribe(let from, let months):
            try container.encode(from.checksummed, forKey: .from)
            try container.encode(months, forKey: .months)
        case .mint(let name, let description):
            try container.encodeIfPresent(name, forKey: .name)
            try container.encodeIfPresent(description, forKey: .description)
        case .defi(let request):
            try encode(request, into: &container)
        case .alert(let request, let address):
            try container.encode(address.checksummed, forKey: .address)
            switch request {
            case .set(let kind, let minimum, let days):
                try container.encode("set", forKey: .operation)
                try container.encode(kind.rawValue, forKey: .alert)
                try container.encodeIfPresent(minimum?.text, forKey: .minimum)
                try container.encodeIfPresent(days, forKey: .days)
            case .list:
                try container.encode("list", forKey: .operation)
            case .stop(let kind):
                try container.encode("stop", forKey: .operation)
                try container.encodeIfPresent(kind?.rawValue, forKey: .alert)
            }
        case .answer(let query):
            try container.encode(query, forKey: .text)
        case .smallTalk(let talk):
            try container.encode(talk.rawValue, forKey: .text)
        case .clarify(let text), .refuse(let text):
            try container.encode(text, forKey: .text)
        case .gasPrice, .defiInfo, .confirmInWallet, .cancelled:
            break
        }
    }
}

extension Action {
    /// A DeFi request's fields: `operation`, then those it has (`validator`, `amount` or `share`,
    /// `token`, `token_in`, `token_out`, `slippage` as "1%", `request`, `spender`) and its `text`.
    private func encode(_ request: DeFiRequest, into container: inout KeyedEncodingContainer<CodingKeys>) throws {
        func token(_ reference: TokenReference) -> String { reference.name(nativeSymbol: "S") }
        func amount(_ value: DeFiAmount, of name: String) throws {
            switch value {
            case .exactly(let amount): try container.encode(amount.text, forKey: .amount)
            case .share(let share): try container.encode(share.describe(name), forKey: .share)
            }
        }
        try container.encode(request.operation, forKey: .operation)
        try container.encode(request.summary(nativeSymbol: "S"), forKey: .text)
        switch request {
        case .stake(let validator, let value), .unstake(let validator, let value):
            try container.encode(validator, forKey: .validator)
            try amount(value, of: "S")
        case .withdraw(let validator, let number):
            try container.encodeIfPresent(validator, forKey: .validator)
            try container.encodeIfPresent(number, forKey: .request)
        case .claimRewards(let validator), .restake(let validator):
            try container.encodeIfPresent(validator, forKey: .validator)
        case .wrap(let value): try amount(value, of: "S")
        case .unwrap(let value): try amount(value, of: "WS")
        case .swap(let value, let tokenIn, let tokenOut, let slippage):
            try amount(value, of: token(tokenIn))
            try container.encode(token(tokenIn), forKey: .tokenIn)
            try container.encode(token(tokenOut), forKey: .tokenOut)
            try container.encodeIfPresent(slippage?.percent, forKey: .slippage)
        case .quote(let value, let tokenIn, let tokenOut):
            try amount(value, of: token(tokenIn))
            try container.encode(token(tokenIn), forKey: .tokenIn)
            try container.encode(token(tokenOut), forKey: .tokenOut)
        case .showApprovals(let reference):
            try container.encodeIfPresent(reference.map(token), forKey: .token)
        case .revoke(let reference, let spender):
            try container.encode(token(reference), forKey: .token)
            try container.encodeIfPresent(spender?.describe, forKey: .spender)
        case .stakingPositions:
            break
        }
    }
}
