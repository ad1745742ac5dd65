import Ethereum
import SonicChain

/// Why coins sent to an address would be lost: nobody holds its key (the zero address, known
/// burn addresses, the precompiles at the lowest addresses) or it is a contract that does not
/// give them back (the network's SFC and node driver, a token's own contract, our contracts). A transfer there is prepared only when the request acknowledges each code
/// (`TransactionService.prepareTransfer`): the agent's card carries them, and the chat asks
/// the person to acknowledge before Confirm. In JSON, the code: `"zero_address"`.
public enum RecipientWarning: String, Codable, Sendable, CaseIterable {
    case zeroAddress = "zero_address"
    case burnAddress = "burn_address"
    case tokenContract = "token_contract"
    case ourContract = "our_contract"
    case precompile
    case systemContract = "system_contract"

    /// Addresses used to destroy coins: nobody can spend from them.
    static let burnAddresses: Set<Address> = [
        "0x000000000000000000000000000000000000dEaD", "0xdEAD000000000000000042069420694206942069",
        "0x0000000000000000000000000000000000000001", "0xdead000000000000000000000000000000000000",
        // The placeholder aggregators use for the native coin: an address, but nobody's.
        "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE",
    ].reduce(into: []) { set, text in if let address = try? Address(text) { set.insert(address) } }

    /// The SFC, the node driver and its auth contract: the same addresses on every Sonic network.
    static let systemContracts: Set<Address> = [
        "0xFC00FACE00000000000000000000000000000000", "0xD100A01E00000000000000000000000000000000",
        "0xD100ae0000000000000000000000000000000000",
    ].reduce(into: []) { set, text in if let address = try? Address(text.lowercased()) { set.insert(address) } }

    /// Precompiles sit at the lowest addresses (0x01–0x0a, 0x100 on Sonic): every address up to 0x1ff.
    static func isPrecompile(_ to: Address) -> Bool {
        to.bytes.dropLast(2).allSatisfy { $0 == 0 } && to.bytes[to.bytes.count - 2] <= 1
    }

    /// The plain sentence shown with the card.
    public func sentence(_ to: Address) -> String {
        switch self {
        case .zeroAddress: "\(to.checksummed) is the zero address: nobody owns it, and coins sent there can never be recovered."
        case .burnAddress: "\(to.checksummed) is a burn address: nobody can spend from it, and coins sent there can never be recovered."
        case .tokenContract: "\(to.checksummed) is a token's own contract, not a wallet: coins sent there are stuck and cannot be recovered."
        case .ourContract: "\(to.checksummed) is one of Smart Sonic's contracts, not a wallet: coins sent there cannot be recovered."
        case .precompile: "\(to.checksummed) is a precompiled contract of the network, not a wallet: coins sent there can never be recovered."
        case .systemContract:
            "\(to.checksummed) is one of the network's own contracts (the SFC or the node driver), not a wallet: a plain transfer there "
                + "does not stake and cannot be recovered. To stake, ask \"stake 100 S with validator 3\"."
        }
    }
}

extension ChainContext {
    /// What is wrong with sending to `to`, if anything: codes the request must acknowledge.
    public func warnings(for to: Address) -> [RecipientWarning] {
        if to.bytes.allSatisfy({ $0 == 0 }) { return [.zeroAddress] }
        if RecipientWarning.burnAddresses.contains(to) { return [.burnAddress] }
        if RecipientWarning.isPrecompile(to) { return [.precompile] }
        if RecipientWarning.systemContracts.contains(to) { return [.systemContract] }
        if network.tokens.contains(where: { $0.address == to }) { return [.tokenContract] }
        if deployments?.contracts.values.contains(where: { $0.address == to }) == true { return [.ourContract] }
        return []
    }
}

extension FeeSuggestion {
    /// What `gas` is likely to cost at these prices: gas × (base fee + priority fee), or the
    /// legacy gas price. The one estimate the agent's gas answers and every card use.
    func likelyCost(gas: UInt64) -> UInt256 {
        let perGas = legacyGasPrice ?? baseFee.adding(maxPriorityFeePerGas) ?? maxFeePerGas
        return perGas.multiplied(by: UInt256(gas)) ?? .max
    }
}
