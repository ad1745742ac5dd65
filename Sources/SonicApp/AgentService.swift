import Ethereum
import Foundation
import Logging
import SonicAgent
import SonicChain
import SonicConfig
import SonicStore

/// POST /api/agent: understands a message, carries out reads, prepares writes for the wallet,
/// and answers in plain sentences with exact figures. Nothing is signed or sent here.
public struct AgentService: Sendable {
    let context: ChainContext
    /// What each conversation remembers, nil without a database.
    let conversations: (any ConversationRepository)?
    /// The knowledge base for general questions, nil without a database.
    let knowledge: (any KnowledgeRepository)?
    let balances: BalanceService
    let transactions: TransactionService
    let subscriptions: SubscriptionService
    let network: NetworkService
    let history: HistoryService
    /// Prepares mints of content already uploaded ("mint ipfs://Qm… as an NFT").
    var nft: NFTService? = nil
    /// Helps with what the parser cannot place, when configured (`SONIC_LLM_PROVIDER`).
    var model: (any LanguageModel)? = nil
    /// Any token: what the address holds, sends of tokens off the verified list.
    var tokens: TokenService? = nil
    /// The allowances given: listed, revoked through a previewed card.
    var allowances: AllowanceService? = nil
    /// The app's swaps, with the aggregator when one is configured.
    var swapService: SwapService? = nil
    /// The person's alerts, set and stopped in words (`AgentService+Alerts`), and whether they subscribe (more alerts).
    var alerts: AlertService? = nil
    var subscribers: SubscriberCache? = nil

    /// A card the dashboard shows under the reply: a transaction to confirm, or a page to open.
    public struct Card: Encodable, Sendable {
        /// What the card offers.
        public enum Kind: String, Encodable, Sendable {
            /// A prepared transaction, confirmed (or cancelled) in the person's wallet.
            case transaction
            /// The NFT creator, with the name and description said in the message.
            case openNFTCreator = "open_nft_creator"
            /// The History page.
            case openHistory = "open_history"
        }

        let kind: Kind
        let prepared: PreparedTransaction?
        let name: String?
        let description: String?
        /// Why the coins could not be recovered, when so: the person acknowledges these codes
        /// before confirming (the prepared transaction lists them too).
        var warnings: [RecipientWarning]? = nil

        static func transaction(_ prepared: PreparedTransaction) -> Card {
            Card(kind: .transaction, prepared: prepared, name: nil, description: nil, warnings: prepared.warnings.isEmpty ? nil : prepared.warnings)
        }
    }

    public struct Source: Encodable, Sendable {
        let slug: String
        let title: String
    }

    /// The reply to one message. In JSON, `cards` lists every card in order (possibly none) and
    /// `action` repeats the first, for clients written before a reply could carry several.
    public struct Answer: Encodable, Sendable {
        let reply: String
        let intent: String
        let entities: Entities
        let cards: [Card]
        let conversation: String
        let sources: [Source]?
        /// Which language model read the message, when one did.
        let model: String?

        /// The first card, if any.
        var action: Card? { cards.first }

        enum CodingKeys: String, CodingKey { case reply, intent, entities, action, cards, conversation, sources, model }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reply, forKey: .reply)
            try container.encode(intent, forKey: .intent)
            try container.encode(entities, forKey: .entities)
            try container.encodeIfPresent(action, forKey: .action)
            try container.encode(cards, forKey: .cards)
            try container.encode(conversation, forKey: .conversation)
            try container.encodeIfPresent(sources, forKey: .sources)
            try container.encodeIfPresent(model, forKey: .model)
        }
    }

    /// Answers `message`, within the `conversation` it continues (a new one when nil or
    /// unknown); `signedIn` is the person's address, which "my" means.
    public func handle(message: String, conversation: String?, signedIn: Address?) async throws(AppError) -> Answer {
        let address = signedIn?.lowercased
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 2_000 else {
            throw .invalidInput(field: "message", summary: "Invalid message", detail: "message must have 1 to 2,000 characters")
        }
        let id = conversation.flatMap { Self.validID($0) ? $0 : nil } ?? AuthService.random(alphabet: "0123456789abcdef", count: 24)
        let saved = try await storeCall { () async throws(StoreError) in try await conversations?.conversationState(id, address: address) }
        let state = saved.flatMap { try? JSONDecoder().decode(ConversationState.self, from: Data($0.utf8)) } ?? ConversationState()
        // The symbols of the person's own tokens too (from the store), so "send 5 FOO" reaches the token service.
        var own: [String] = []
        if let signedIn, let tokens { own = await tokens.symbols(of: signedIn) }
        let verified = [context.network.nativeSymbol] + context.network.tokens.map(\.symbol)
        let planner = Planner(knownTokens: verified + own.filter { !verified.contains($0) })
        var (parsed, action, next) = planner.plan(text, connected: signedIn, state: state)
        var modelName: String?
        // Not inside a conversation the planner is carrying (a transfer or purchase being put together).
        if let model, state.pendingSend == nil, !state.pendingSubscription, await Self.unsure(text, action: action, knowledge: knowledge) {
            do {
                switch try await model.interpret(text) {
                case .call(let name, let arguments):
                    if let understood = AgentTools.parsed(name, arguments, text: text), understood.intent != .generalQuery {
                        (parsed, action, next) = planner.plan(text, connected: signedIn, state: state, understood: understood)
                        modelName = model.name
                    }
                case .text(let reply):
                    modelName = model.name
                    action = .clarify(question: String(reply.prefix(2_000)))
                }
            } catch LanguageModelError.allowanceUsedUp(let refusal) {
                throw refusal
            } catch {
                logger.warning("agent: \(error); answering without it")
            }
        }
        var (reply, cards, sources) = try await carryOut(action, signedIn: signedIn)
        // The next of several transfers only once the wallet has sent the previous one: its
        // card must take the next nonce.
        if case .sendSeveral(_, let transfers, let index) = action, let nonce = cards.first?.prepared.flatMap({ Self.nonce($0) }) {
            if index > 0, let previous = state.seriesNonce, nonce <= previous {
                reply = "Transfer \(index) of \(transfers.count) is not sent yet: confirm it in your wallet first, then say \"next\" for transfer \(index + 1)."
                cards = []
                next = state
            } else {
                next.seriesNonce = nonce
            }
        }
        // A mint whose metadata is already stored: prepared for the wallet like any other write.
        if case .mint = action, let uri = Self.tokenURI(in: text), let nft, let from = signedIn {
            do {
                let prepared = try await nft.prepareMint(uri: uri, from: from)
                reply = "Here is the mint to check: \(prepared.summary), fee about \(Self.fee(prepared.fee.estimatedWei)) \(context.network.nativeSymbol). Confirm it in your wallet."
                cards = [.transaction(prepared)]
            } catch {
                reply = error.sentence
            }
        }
        if let data = try? JSONEncoder().encode(next) {
            try await storeCall { () async throws(StoreError) in try await conversations?.saveConversation(id, address: address, state: String(decoding: data, as: UTF8.self)) }
        }
        return Answer(reply: reply, intent: parsed.intent.rawValue, entities: parsed.entities, cards: cards, conversation: id, sources: sources,
                      model: modelName)
    }

    static func validID(_ id: String) -> Bool { (8...64).contains(id.count) && id.allSatisfy { $0.isHexDigit } }

    private func carryOut(_ action: Action, signedIn: Address?) async throws(AppError) -> (String, [Card], [Source]?) {
        let symbol = context.network.nativeSymbol
        switch action {
        case .balance(let address, let reference):
            guard let token = known(reference) else { return (unknown(reference), [], nil) }
            return (try await holdings(of: address, tokens: [token], listZero: true), [], nil)
        case .balances(let address):
            // Every token held; while the node is not answering, the cached balances of the verified ones.
            if let tokens {
                do { return (try await everyToken(of: address, tokens: tokens), [], nil) } catch .nodeUnavailable {}
            }
            return (try await holdings(of: address, tokens: [symbol] + context.network.tokens.map(\.symbol), listZero: false), [], nil)
        case .history(let address, let limit, let period, let flow):
            if let period { return try await recent(address, period: period, flow: flow) }
            return try await recent(address, limit: limit)
        case .status(let hash):
            let status = try await transactions.status(hash)
            let short = Self.short(hash.description)
            switch status.status {
            case "confirmed":
                return ("Transaction \(short) is confirmed in block \(status.block ?? 0); it used \(status.gasUsed ?? 0) gas and cost \(status.fee ?? "?") \(symbol) in fees.", [], nil)
            case "failed":
                return ("Transaction \(short) failed in block \(status.block ?? 0): \(status.reason ?? "reverted"). Its fee of \(status.fee ?? "?") \(symbol) was still paid.", [], nil)
            case "pending":
                return ("Transaction \(short) is pending; I'll keep following it.", [], nil)
            case "dropped":
                return ("Transaction \(short) was dropped: \(status.reason ?? "the node no longer knows it").", [], nil)
            case "replaced", "cancelled":
                let what = status.status == "cancelled" ? "was cancelled in the wallet" : "was replaced in the wallet (sped up)"
                guard let new = status.replacedBy else { return ("Transaction \(short) \(what): \(status.reason ?? "another took its nonce").", [], nil) }
                return ("Transaction \(short) \(what): \(Self.short(new)) took its place; ask me about that one to see how it went.", [], nil)
            default:
                return ("I can't find transaction \(short) on \(context.network.displayName). Check the hash and the network.", [], nil)
            }
        case .subscriptionStatus(let address):
            let status = try await subscriptions.status(address)
            if status.active, let iso = status.expiresAtIso {
                let left = Self.relative(Double(status.expiresAt ?? 0) - Date().timeIntervalSince1970)
                return ("Your premium is active until \(iso) UTC (\(left)). Another month costs \(status.price) \(symbol).", [], nil)
            }
            return ("You don't have premium right now. It costs \(status.price) \(symbol) per 30 days; say \"buy 1 month of premium\" to start.", [], nil)
        case .gasPrice:
            let info = try await network.info()
            let fees = try await context.suggestedFees()
            // The same estimate a transfer's card shows: gas × (base fee + tip).
            let transfer = fees.likelyCost(gas: 21_000)
            return ("Gas is \(info.gasPriceGwei) gwei now (base fee \(Units.formatGwei(fees.baseFee)) gwei, tip \(Units.formatGwei(fees.maxPriorityFeePerGas)) gwei). "
                    + "A plain transfer of \(symbol) (21,000 gas) costs about \(Self.fee(transfer.description)) \(symbol), the estimate its card shows.", [], nil)
        case .transferCost(let from, let to, let amount, let reference):
            return await cost(from: from, to: to, amount: amount, token: reference)
        case .send(let from, let to, let amount, let reference):
            return await transfer(from: from, to: to, amount: .exactly(amount), token: reference)
        case .sendShare(let from, let to, let share, let reference):
            return await transfer(from: from, to: to, amount: .share(share), token: reference)
        case .sendSeveral(let from, let transfers, let index):
            return await several(from: from, transfers: transfers, next: index)
        case .smallTalk(let talk):
            return (Self.reply(to: talk), [], nil)
        case .confirmInWallet:
            return ("The confirmation happens in your wallet, not here: press Confirm on the card, check the recipient, amount and fee your wallet shows, "
                    + "and sign there. I can't sign or send for you.", [], nil)
        case .subscribe(let from, let months):
            let prepared: PreparedTransaction
            do { prepared = try await subscriptions.preparePurchase(from: from, months: months) } catch {
                return (error.sentence, [], nil)
            }
            return ("Here is the purchase to check: \(prepared.summary), fee about \(Self.fee(prepared.fee.estimatedWei)) \(symbol). Confirm it in your wallet.",
                    [.transaction(prepared)], nil)
        case .mint(let name, let description):
            let named = name.map { " called \"\($0)\"" } ?? ""
            return ("Let's mint it\(named). Open the NFT creator, pick the picture, and I'll prepare the mint for your wallet to sign.",
                    [Card(kind: .openNFTCreator, prepared: nil, name: name, description: description)], nil)
        case .defi(.showApprovals(let token)):
            guard let allowances else { return ("Allowances cannot be read here: there is no token service.", [], nil) }
            guard let owner = signedIn else { return (Self.signInFirst("whose allowances to read"), [], nil) }
            return (try await approvals(of: owner, token: token, service: allowances), [], nil)
        case .defi(.revoke(let token, let spender)):
            guard let allowances else { return ("Allowances cannot be revoked here: there is no token service.", [], nil) }
            guard let owner = signedIn else { return (Self.signInFirst("whose allowance to revoke"), [], nil) }
            return await revoke(from: owner, token: token, spender: spender, service: allowances)
        case .defi(let request):
            return await defi(request, owner: signedIn)
        case .defiInfo:
            return await answer("staking delegate validator rewards unbonding", fallback: "I don't stake, lend or provide liquidity for you.")
        case .alert(let request, let address):
            return await carryOut(request, for: address)
        case .answer(let query):
            return await answer(query, fallback: "I can check balances, prepare transfers for your wallet, follow transactions, show gas prices and manage your premium subscription.")
        case .clarify(let question):
            return (question, [], nil)
        case .refuse(let reason):
            return (reason, [], nil)
        case .cancelled:
            return ("Cancelled. Nothing was sent.", [], nil)
        }
    }

    /// The symbol of the network's coin or token that `reference` names; nil when it names none.
    func known(_ reference: TokenReference) -> String? {
        switch reference {
        case .native: context.network.nativeSymbol
        case .symbol(let symbol): context.network.tokens.first { $0.symbol == symbol }?.symbol
        case .contract(let address): context.network.tokens.first { $0.address == address }?.symbol
        }
    }

    func unknown(_ reference: TokenReference) -> String {
        let known = ([context.network.nativeSymbol] + context.network.tokens.map(\.symbol)).joined(separator: ", ")
        return "I don't know the token \(reference.name(nativeSymbol: context.network.nativeSymbol)) on \(context.network.displayName). I know \(known)."
    }

    /// Whether a language model may know better: the parser placed the message only by a
    /// fallback, or filed it as a general question no article answers. Never for a refusal or a
    /// question the planner asks (a typo in an address, an amount in dollars, a language it does
    /// not read: a model's reading would meet the same rule), nor for small talk.
    static func unsure(_ text: String, action: Action, knowledge: (String) async -> KnowledgeHit?) async -> Bool {
        switch action {
        case .refuse, .clarify, .cancelled, .smallTalk, .confirmInWallet: return false
        case .answer(let query): if await knowledge(query) == nil { return true }
            return !MessageParser().understand(text).confident
        default: return !MessageParser().understand(text).confident
        }
    }

    /// A fee for a sentence: readable (`Units.readable`), cut, never rounded up.
    static func fee(_ wei: String) -> String {
        Units.readable((try? UInt256(parsing: wei)) ?? .zero, decimals: 18)
    }

    /// The nonce of a prepared transaction.
    static func nonce(_ prepared: PreparedTransaction) -> UInt64? {
        UInt64(prepared.tx.nonce.dropFirst(2), radix: 16)
    }

    static func short(_ hash: String) -> String { hash.count > 14 ? "\(hash.prefix(10))…\(hash.suffix(4))" : hash }

    /// A time from now in words: "just now", "5 min ago", "in 3 days".
    static func relative(_ seconds: Double) -> String {
        let span = abs(seconds)
        let text: String
        switch span {
        case ..<60: return "just now"
        case ..<3_600: text = "\(Int(span / 60)) min"
        case ..<86_400: text = "\(Int(span / 3_600)) h"
        default: let days = Int(span / 86_400); text = days == 1 ? "1 day" : "\(days) days"
        }
        return seconds < 0 ? "\(text) ago" : "in \(text)"
    }

    /// An `ipfs://<CID>` written in the message, if any.
    static func tokenURI(in text: String) -> String? {
        guard let range = text.range(of: #"ipfs://[A-Za-z0-9]{46,64}"#, options: .regularExpression) else { return nil }
        return String(text[range])
    }

    /// "Show my last 10 transactions": the newest entries of the indexed history, one line each.
    func recent(_ address: Address, limit: Int?) async throws(AppError) -> (String, [Card], [Source]?) {
        let count = min(max(limit ?? 5, 1), 25)
        let page = try await history.page(HistoryQuery(address: address, limit: count), of: address)
        guard let indexed = page.indexedBlock else {
            return ("The history isn't indexed yet (the indexer, sonic-sync, has not written anything). I can still check any transaction by its hash.",
                    [], nil)
        }
        let entries = page.entries
        let whose = address.checksummed
        guard !entries.isEmpty else {
            return ("I found no transactions for \(whose) up to block \(indexed).", [], nil)
        }
        let lines = entries.map { "• " + Self.describe($0, symbol: context.network.nativeSymbol, verified: $0.isVerified(on: context.network)) }
        let heading = entries.count == 1 ? "The latest transaction of \(whose):" : "The latest \(entries.count) transactions of \(whose), newest first:"
        return ((["\(heading)"] + lines + ["The History page has all of them, with filters and a CSV export."]).joined(separator: "\n"),
                [Card(kind: .openHistory, prepared: nil, name: nil, description: nil)], nil)
    }

    /// One history entry as a sentence: when, what, how much, with whom, and a failure's reason.
    /// A token that is not `verified` is named with its contract and called unverified: its symbol is only what it says.
    static func describe(_ entry: ActivityEntry, symbol: String, verified: Bool = true, now: Double = Date().timeIntervalSince1970) -> String {
        let time = HistoryService.iso(entry.time).dropLast(4).replacingOccurrences(of: "T", with: " ") + " UTC, "
            + relative(Double(entry.time) - now)
        let contract = (entry.tokenAddress ?? entry.nftContract).map { " (unverified token \($0.checksummed))" } ?? ""
        let amount = "\(Units.readable(entry.amountWei, decimals: entry.tokenDecimals)) \(entry.tokenSymbol)"
        let other = entry.counterparty.map { short($0.checksummed) } ?? "?"
        // " with validator 3" and ", withdrawal request 2" where the entry names them (older entries may not).
        let validator = { (preposition: String) in entry.validator.map { "\(preposition) validator \($0)" } ?? "" }
        let request = entry.requestID.map { ", withdrawal request \($0)" } ?? ""
        let text: String
        switch (entry.kind, entry.direction) {
        case (.transfer, .incoming), (.tokenTransfer, .incoming): text = "received \(amount) from \(other)"
        case (.transfer, .outgoing), (.tokenTransfer, .outgoing): text = "sent \(amount) to \(other)"
        case (.transfer, .own), (.tokenTransfer, .own): text = "moved \(amount) to yourself"
        case (.nftMint, _): text = "minted NFT #\(entry.tokenID?.description ?? "?")" + (entry.amountWei == .zero || entry.tokenSymbol != symbol ? "" : " for \(amount)")
        case (.nftTransfer, .incoming): text = "received NFT #\(entry.tokenID?.description ?? "?") from \(other)"
        case (.nftTransfer, _): text = "sent NFT #\(entry.tokenID?.description ?? "?") to \(other)"
        case (.subscription, _): text = "bought premium for \(amount)"
        case (.contractCreation, _): text = "deployed a contract at \(other)"
        case (.tokenApproval, _):
            text = entry.amountWei == .max ? "approved \(other) to spend all your \(entry.tokenSymbol), without limit"
                : entry.amountWei == .zero ? "revoked the allowance of \(other) for \(entry.tokenSymbol)" : "approved \(other) to spend \(amount)"
        case (.stake, _): text = "staked \(amount)\(validator(" with"))"
        case (.unstake, _): text = "unstaked \(amount)\(validator(" from"))\(request)"
        case (.stakeWithdrawal, _): text = "withdrew \(amount) from staking\(validator(" with"))\(request)"
        case (.rewardsClaim, _): text = "claimed \(amount) of staking rewards\(validator(" from"))"
        case (.rewardsRestake, _): text = "restaked \(amount) of rewards\(validator(" with"))"
        case (.wrap, _): text = "wrapped \(amount) into w\(entry.tokenSymbol)"
        case (.unwrap, _): text = "unwrapped \(amount) from w\(entry.tokenSymbol)"
        case (.contractPayout, _): text = "received \(amount) from \(other)"
        case (.contractCall, .incoming): text = "was called by \(other)" + (entry.method.map { " (\($0))" } ?? "")
        case (.contractCall, _): text = "called \(entry.method ?? "a contract") on \(other)" + (entry.amountWei == .zero ? "" : " with \(amount)")
        }
        let paid = entry.feeWei.map { ", fee \(Self.fee($0.description)) \(symbol)" } ?? ""
        let failure = entry.status == .failed ? " — FAILED: \(entry.reason ?? "reverted")" : ""
        return "\(time): \(text)\(verified ? "" : contract)\(paid)\(failure)"
    }
}
