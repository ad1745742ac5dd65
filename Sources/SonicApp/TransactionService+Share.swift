import BigInt
import Ethereum
import SonicAgent
import SonicChain

extension TransactionService {
    /// The amount a share of the balance comes to now, as exact decimal text: "all my S" is
    /// the S balance less the most the transfer's fee can be (so the transfer always goes
    /// through); "half my USDC" is half the USDC balance, rounded down to the token's unit.
    /// - Throws: `AppError.insufficientBalance` when nothing would be left to send.
    public func shareAmount(_ share: Share, token symbol: String, from: Address, to: Address) async throws(AppError) -> String {
        let native = symbol == context.network.nativeSymbol
        let decimals: Int
        let held: UInt256
        if native {
            decimals = 18
            held = try await context.nativeBalance(of: from)
        } else {
            let token = try await (tokens ?? TokenService(context: context, repository: nil)).resolve(symbol, for: from)
            decimals = token.decimals
            do { held = try await context.chain.tokenBalance(token.address, of: from) } catch { throw AppError.chain(error, what: "a token contract") }
        }
        var amount: UInt256
        switch share {
        case .all:
            amount = held
            if native {
                // The fee of this very transfer, from a preview of it.
                let probe = try await PreparedTransaction.make(CallRequest(from: from, to: to, value: .zero), summary: "", context: context)
                amount = held >= probe.maxFee ? held.subtracting(probe.maxFee) ?? .zero : .zero
            }
        case .fraction(let numerator, let denominator):
            // At most the balance, so it fits in 256 bits.
            amount = UInt256(held.value * BigUInt(numerator) / BigUInt(max(denominator, 1))) ?? held
        }
        guard amount > .zero else {
            throw AppError.insufficientBalance(field: "amount", detail: "not enough \(symbol) to send \(share.describe(symbol)): "
                                                + "\(Units.format(held, decimals: decimals)) available" + (native ? ", and the fee is paid from it" : ""))
        }
        return Units.format(amount, decimals: decimals)
    }
}
