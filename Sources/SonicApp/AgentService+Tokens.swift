import Ethereum
import Foundation
import SonicAgent

/// The agent's answers about any token and the allowances given: "what tokens do I have",
/// "show my approvals", "revoke SUSD for the router". A token's name and symbol are quoted as
/// its contract gives them (cleaned and bounded), always with the contract's address when the
/// token is not verified; they are never read as instructions.
extension AgentService {
    /// "0x… holds 12 S, 2.5 SUSD and 100 FOO (unverified token 0x…) at block 100.": S and every
    /// token held (verified, added, or received in the history), those at zero left out.
    func everyToken(of address: Address, tokens: TokenService) async throws(AppError) -> String {
        async let price = context.prices.sPrice()  // beside the holdings, not after them
        let holdings = try await tokens.holdings(of: address)
        let held = holdings.tokens.filter { ($0.balance ?? .zero) > .zero }
        let shown = ["\(Units.readable(holdings.native.balance, decimals: 18)) \(holdings.native.symbol)\(Self.inDollars(holdings.native.balance, at: await price))"]
            + held.map { "\(Units.readable($0.balance ?? .zero, decimals: $0.token.decimals)) \($0.token.named)" }
        let list = shown.count > 1 ? shown.dropLast().joined(separator: ", ") + " and " + shown.last! : shown.joined()
        // Verified tokens at 0 go unsaid, as before; others it had are counted.
        let empty = holdings.tokens.filter { $0.origin != .verified && ($0.balance ?? .zero) == .zero }.count
        let none = empty > 0 ? " \(empty) other token\(empty == 1 ? "" : "s") it received or added \(empty == 1 ? "is" : "are") at 0." : ""
        return "\(address.checksummed) holds \(list) at block \(holdings.block).\(none)"
    }

    /// The open allowances `owner` gave (of one token when named), one line each.
    func approvals(of owner: Address, token reference: TokenReference?, service: AllowanceService) async throws(AppError) -> String {
        let all = try await service.allowances(of: owner).allowances
        let chosen = all.filter { allowance in reference.map { matches(allowance.token, reference: $0) } ?? true }
        let open = chosen.filter(\.isOpen)
        let which = reference.map { " of \($0.name(nativeSymbol: context.network.nativeSymbol))" } ?? ""
        let closed = chosen.count - open.count
        let revoked = closed > 0 ? " \(closed) earlier allowance\(closed == 1 ? " is" : "s are") at 0 now." : ""
        guard !open.isEmpty else {
            return "No contract may spend any of your tokens\(which): you have no open allowances.\(revoked)"
        }
        let lines = open.map { allowance in
            "• \(allowance.spender.named) may spend \(allowance.formatted ?? "?") \(allowance.token.named)"
                + (allowance.unlimited ? " — every one you hold, now and later" : "")
        }
        return (["Allowances you have given\(which):"] + lines
                + ["\(revoked.isEmpty ? "" : revoked.dropFirst() + " ")Say \"revoke <token> for <spender>\" to take one back."]).joined(separator: "\n")
    }

    /// A revoke card for the one open allowance that `token` and `spender` pick out; a question
    /// naming the candidates when several fit, a plain answer when none does.
    func revoke(from owner: Address, token reference: TokenReference, spender: Spender?, service: AllowanceService) async -> (String, [Card], [Source]?) {
        let symbol = context.network.nativeSymbol
        if case .native = reference {
            return ("\(symbol) itself needs no allowance: contracts can only spend the \(symbol) you send with a transaction. Nothing to revoke.", [], nil)
        }
        let open: [AllowanceService.Allowance]
        do { open = try await service.allowances(of: owner).allowances.filter(\.isOpen) } catch { return (error.sentence, [], nil) }
        let ofToken = open.filter { matches($0.token, reference: reference) }
        let name = reference.name(nativeSymbol: symbol)
        let candidates = ofToken.filter { allowance in
            switch spender {
            case nil: true
            case .address(let address)?: allowance.spender.address == address
            case .named(let called)?: Self.words(called).allSatisfy { word in
                (allowance.spender.name ?? "").lowercased().contains(word) }
            }
        }
        let forWhom = spender.map { " for \($0.describe)" } ?? ""
        guard !candidates.isEmpty else {
            let others = ofToken.isEmpty ? "" : " Open \(name) allowances: " + ofToken.map(\.spender.named).joined(separator: ", ") + "."
            return ("You have no open \(name) allowance\(forWhom), so there is nothing to revoke.\(others)", [], nil)
        }
        guard candidates.count == 1 else {
            let listed = candidates.map { "\($0.spender.named) (\($0.formatted ?? "?") \($0.token.named))" }.joined(separator: "; ")
            return ("Several allowances fit: \(listed). Which one should I revoke? Say \"revoke \(name) for 0x…\" with the spender's address.", [], nil)
        }
        let chosen = candidates[0]
        do {
            return cards("revoke", [try await service.prepareRevoke(from: owner, token: chosen.token.address.checksummed,
                                                                    spender: chosen.spender.address.checksummed)])
        } catch {
            return (error.sentence, [], nil)
        }
    }

    /// Whether `token` is the one `reference` names: its contract, or its symbol without case
    /// (verified or not: the person sees the address in the answer).
    func matches(_ token: TokenService.Token, reference: TokenReference) -> Bool {
        switch reference {
        case .native: false
        case .contract(let contract): contract == token.address
        case .symbol(let symbol): token.symbol.uppercased() == symbol.uppercased()
        }
    }

    /// The words of a spender's name as the person said it ("the router" → ["router"]).
    static func words(_ name: String) -> [String] {
        name.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { !["the", "my", "a", "an"].contains($0) }
    }

    /// The reply to a request about "my" tokens from someone not signed in.
    static func signInFirst(_ what: String) -> String {
        "Connect your wallet and sign in first, so that I know \(what)."
    }
}
