import Ethereum

/// A contract account's own signature check, as smart wallets (a Safe, say) answer it.
/// See https://eips.ethereum.org/EIPS/eip-1271
public struct ERC1271: Sendable {
    public static let isValidSignature = Contract.signature("function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)")
    /// What a contract returns for a signature it accepts: the function's own selector.
    public static let magicValue: [UInt8] = [0x16, 0x26, 0xba, 0x7e]

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    /// Whether the contract accepts `signature` over `hash`: false when it answers anything but
    /// the magic value, reverts, or has no code (an ordinary account answers nothing).
    /// - Throws: `ChainError` when the node cannot be asked.
    public func accepts(_ signature: [UInt8], of hash: Hash32) async throws(ChainError) -> Bool {
        let data: [UInt8]
        do { data = try Self.isValidSignature.calldata([.bytes(hash.bytes), .bytes(signature)]) } catch { return false }
        do {
            let output = try await contract.client.call(CallRequest(to: contract.address, data: data))
            return output.count == 32 && output.prefix(4).elementsEqual(Self.magicValue) && output.dropFirst(4).allSatisfy { $0 == 0 }
        } catch {
            if case .reverted = error { return false }
            throw error
        }
    }
}
