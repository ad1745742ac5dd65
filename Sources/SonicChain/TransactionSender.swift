import Ethereum
import Foundation
import SonicConfig

/// Signs with a key of ours and sends: for operators' commands (`sonic send`, `sonic deploy`)
/// and tests. The product never holds users' keys; their wallets sign.
public struct TransactionSender: Sendable {
    public let client: RPCClient
    public let key: PrivateKey
    public let chainID: UInt64
    public let fees: FeeAdvisor
    /// Gas limit = estimate × (1 + margin), so a small state change between estimate and
    /// inclusion does not make the transaction run out of gas.
    public let gasMargin: Double

    public init(client: RPCClient, key: PrivateKey, network: Network, gasMargin: Double = 0.2) {
        self.client = client
        self.key = key
        chainID = network.chainID
        fees = FeeAdvisor(client: client, minimumBaseFee: network.minimumBaseFee)
        self.gasMargin = gasMargin
    }

    /// Builds (pending nonce, estimated gas, suggested EIP-1559 fees), signs and broadcasts.
    /// - Throws: `ChainError` (a reverting estimate carries its reason).
    public func send(_ request: CallRequest) async throws(ChainError) -> SignedTransaction {
        var request = request
        request.from = key.address
        let gas: UInt64
        if let given = request.gas {
            gas = given
        } else {
            let estimate = try await client.estimateGas(request)
            gas = try GasLimit.withMargin(estimate, margin: gasMargin)
        }
        let nonce = try await client.nonce(of: key.address, at: .pending)
        let fees = try await fees.suggest().fees
        let transaction = Transaction(
            chainID: chainID, nonce: nonce, fees: fees,
            gasLimit: gas, to: request.to, value: request.value ?? .zero, data: request.data)
        let signed: SignedTransaction
        do { signed = try transaction.signed(with: key) } catch {
            throw .invalidResponse(endpoint: client.endpoints[0], method: "sign", reason: error.description)
        }
        _ = try await client.sendRawTransaction(signed.raw)
        return signed
    }

    /// Waits for the receipt, polling every `interval` seconds, up to `timeout`.
    /// - Returns: the receipt, or nil when none came in time.
    public func waitForReceipt(_ hash: Hash32, timeout: Double = 60, interval: Double = 0.1) async throws(ChainError) -> Receipt? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let receipt = try await client.receipt(hash) { return receipt }
            if Date() >= deadline { return nil }
            try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
    }

    /// `send` and `waitForReceipt` together.
    public func sendAndWait(_ request: CallRequest, timeout: Double = 60) async throws(ChainError) -> Receipt {
        let signed = try await send(request)
        let hash = Hash32.keccak(signed.raw)
        guard let receipt = try await waitForReceipt(hash, timeout: timeout) else {
            throw .broadcastUnconfirmed(endpoint: client.endpoints[0], hash: hash.description)
        }
        return receipt
    }
}
