import Ethereum
import Foundation
import SonicAgent

/// The agent's transfers as cards: an amount or a share of the balance, the recipient's
/// warnings carried on the card, and several transfers said back and prepared one at a time.
extension AgentService {
    enum TransferAmount {
        case exactly(DecimalAmount)
        case share(Share)
    }

    /// A transfer's card and the sentence that presents it; a refusal's sentence when it cannot
    /// be prepared. Coins that could not be recovered are said plainly, and the card carries
    /// the warning codes the person acknowledges before confirming.
    func transfer(from: Address, to: Address, amount: TransferAmount, token reference: TokenReference, intro: String = "")
        async -> (String, [Card], [Source]?)
    {
        let symbol = context.network.nativeSymbol
        guard let token = sendable(reference) else { return (unknown(reference), [], nil) }
        var warnings = context.warnings(for: to)
        if warnings.isEmpty, case .contract(to) = reference { warnings = [.tokenContract] }
        let prepared: PreparedTransaction
        var worked = ""
        do throws(AppError) {
            let text: String
            switch amount {
            case .exactly(let written): text = written.text
            case .share(let share):
                text = try await transactions.shareAmount(share, token: token, from: from, to: to)
                let exact = (try? DecimalAmount(text))?.grouped ?? text
                worked = share == .all && token == symbol
                    ? "All your \(symbol) less the most the fee can be comes to \(exact) \(symbol). "
                    : "\(share.describe(token).prefix(1).uppercased() + share.describe(token).dropFirst()) comes to \(exact) \(token). "
            }
            // The amount as written: turned into base units with the token's decimals there.
            prepared = try await transactions.prepareTransfer(from: from, to: to, amount: text, token: token, acknowledged: Set(warnings))
        } catch {
            return (error.sentence, [], nil)
        }
        var reply = intro + worked + "Here is the transfer to check: \(prepared.summary). The fee is about \(Self.fee(prepared.fee.estimatedWei)) \(symbol), "
            + "at most \(Self.fee(prepared.fee.maxWei)) \(symbol) (up to \(prepared.fee.maxFeePerGasGwei) gwei per gas)."
        for warning in warnings {
            reply += " Careful: \(warning.sentence(to)) The card asks you to acknowledge that before you confirm."
        }
        for notice in prepared.notices ?? [] { reply += " Careful: \(notice.message)" }
        reply += prepared.simulation.success ? " Confirm it in your wallet to send." : " Careful: simulating it failed (\(prepared.simulation.reason ?? "reverted")), so it would likely fail on chain."
        return (reply, [.transaction(prepared)], nil)
    }

    /// What a transfer would cost, from the preview its card would show (no card: it was asked
    /// about, not asked for).
    func cost(from: Address, to: Address, amount: DecimalAmount, token reference: TokenReference) async -> (String, [Card], [Source]?) {
        let symbol = context.network.nativeSymbol
        guard let token = sendable(reference) else { return (unknown(reference), [], nil) }
        let prepared: PreparedTransaction
        do {
            prepared = try await transactions.prepareTransfer(from: from, to: to, amount: amount.text, token: token,
                                                               acknowledged: Set(context.warnings(for: to)))
        } catch {
            return (error.sentence, [], nil)
        }
        let gas = prepared.simulation.gasEstimate.map { "\(Units.grouping(String($0))) gas" } ?? "its gas"
        return ("Sending \(amount.grouped) \(token) to \(to.checksummed) would cost about \(Self.fee(prepared.fee.estimatedWei)) \(symbol) in fees "
                + "(\(gas) × (base fee + tip)), at most \(Self.fee(prepared.fee.maxWei)) \(symbol). Say \"send \(amount.text) \(token) to \(to.checksummed)\" "
                + "to prepare it.", [], nil)
    }

    /// How a transfer names `reference` to the transaction service: a verified token's symbol,
    /// else (with the token service) the symbol or contract as written, which it resolves
    /// against the person's own tokens or reads from the contract; nil when it cannot be sent.
    func sendable(_ reference: TokenReference) -> String? {
        if let known = known(reference) { return known }
        guard tokens != nil else { return nil }
        return reference.name(nativeSymbol: context.network.nativeSymbol)
    }

    /// Several transfers asked for at once: all said back, the card for the `next` one.
    func several(from: Address, transfers: [Transfer], next index: Int) async -> (String, [Card], [Source]?) {
        let symbol = context.network.nativeSymbol
        let listed = transfers.enumerated().map { offset, transfer in
            "\(offset + 1)) \(transfer.amount.grouped) \(transfer.token.name(nativeSymbol: symbol)) to \(transfer.to.checksummed)"
        }.joined(separator: "; ")
        let intro = index == 0
            ? "You asked for \(transfers.count) transfers: \(listed). I prepare them one at a time, each once the previous is sent. Transfer 1 of \(transfers.count): "
            : "Transfer \(index + 1) of \(transfers.count): "
        let current = transfers[index]
        var (reply, cards, sources) = await transfer(from: from, to: current.to, amount: .exactly(current.amount), token: current.token, intro: intro)
        if !cards.isEmpty, index + 1 < transfers.count {
            reply += " When it is sent, say \"next\" for transfer \(index + 2)."
        }
        return (reply, cards, sources)
    }

    /// "0x… holds 12 S and 2.5 SUSD at block 100.": the tokens asked about; with `listZero`
    /// false only those held (S always).
    func holdings(of address: Address, tokens: [String], listZero: Bool) async throws(AppError) -> String {
        let symbol = context.network.nativeSymbol
        let others = tokens.filter { $0 != symbol }
        async let price = context.prices.sPrice()  // beside the balances, not after them
        let answer = try await balances.balances(of: address, tokens: others)
        let amounts = (tokens.contains(symbol) ? [answer.snapshot.native] : []) + answer.snapshot.tokens
        let dollars = Self.inDollars(answer.snapshot.native.balance, at: await price)
        let shown = amounts.filter { listZero || $0.symbol == symbol || $0.balance > .zero }
            .map { "\(Units.readable($0.balance, decimals: $0.decimals)) \($0.symbol)" + ($0.address == nil ? dollars : "") }
        let list = shown.count > 1 ? shown.dropLast().joined(separator: ", ") + " and " + shown.last! : shown.joined()
        let stale = answer.stale ? " (from \(Int(answer.age)) s ago: the node is not answering right now)" : ""
        return "\(address.checksummed) holds \(list) at block \(answer.snapshot.block)\(stale)."
    }

    /// " (about $6.00)" for `wei` of S at `reading`, the S/USD feed's price; nothing when it is not known.
    static func inDollars(_ wei: UInt256, at reading: PriceService.Reading) -> String {
        guard let price = reading.price else { return "" }
        let dollars = price.dollars(of: wei)
        return dollars == "0.00" ? (wei > .zero ? " (under $0.01)" : "") : " (about $\(dollars))"
    }

    /// A greeting, thanks or goodbye answered in kind.
    static func reply(to talk: SmallTalk) -> String {
        switch talk {
        case .greeting: "Hello! I can check your balances, prepare transfers for your wallet to sign, follow transactions and answer questions about Sonic. What would you like to do?"
        case .thanks: "You're welcome! Ask me anytime."
        case .goodbye: "Goodbye! Nothing is pending from me."
        case .acknowledgement: "All right. Anything else I can do for you?"
        }
    }
}
