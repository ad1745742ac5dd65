import Ethereum

/// An action as JSON, for `sonic agent converse` and the conversation suite
/// (Tests/Fixtures/agent-conversations.jsonl): `kind` and the action's values as text:
/// addresses checksummed, amounts as written, tokens by symbol, a question's or reason's `text`.
extension Action: Encodable {
    enum CodingKeys: String, CodingKey {
        case kind, address, from, to, amount, token, share, transfers, next, limit, period, flow, hash, months, name, description
        case tokenIn = "token_in", tokenOut = "token_out", text
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
        case .swapInfo: "swap_info"
        case .defiInfo: "defi_info"
        case .answer: "answer"
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
        case .swapInfo(let tokenIn, let tokenOut, let amount):
            try container.encodeIfPresent(tokenIn.map(token), forKey: .tokenIn)
            try container.encodeIfPresent(tokenOut.map(token), forKey: .tokenOut)
            try container.encodeIfPresent(amount?.text, forKey: .amount)
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
