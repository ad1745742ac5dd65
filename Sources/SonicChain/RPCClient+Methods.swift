import Ethereum

/// Typed JSON-RPC methods: what the product reads and writes.
extension RPCClient {
    /// `eth_chainId`.
    public func chainID() async throws(ChainError) -> UInt64 { try await call("eth_chainId", as: Quantity.self).value }

    /// `eth_blockNumber`: the number of the latest block.
    public func blockNumber() async throws(ChainError) -> UInt64 { try await call("eth_blockNumber", as: Quantity.self).value }

    /// `eth_getBalance` in wei.
    public func balance(of address: Address, at block: BlockTag = .latest) async throws(ChainError) -> UInt256 {
        try await call("eth_getBalance", [.string(address.lowercased), block.json], as: BigQuantity.self).value
    }

    /// The latest block's number and `address`'s balance in wei, asked in one round trip (a
    /// batch of `eth_blockNumber` and `eth_getBalance` at `latest`, which a node answers from
    /// one state, unless a block lands between the two).
    public func headAndBalance(of address: Address) async throws(ChainError) -> (block: UInt64, balance: UInt256) {
        let answers = try await batch([(method: "eth_blockNumber", params: []),
                                       (method: "eth_getBalance", params: [.string(address.lowercased), BlockTag.latest.json])],
                                      as: BigQuantity.self)
        guard let block = try answers[0].get().value.uint64 else {
            throw .invalidResponse(endpoint: endpoints[0], method: "eth_blockNumber", reason: "a block number beyond 2^64")
        }
        return (block, try answers[1].get().value)
    }

    /// `eth_getTransactionCount`: `.latest` counts mined transactions, `.pending` also queued ones.
    public func nonce(of address: Address, at block: BlockTag = .pending) async throws(ChainError) -> UInt64 {
        try await call("eth_getTransactionCount", [.string(address.lowercased), block.json], as: Quantity.self).value
    }

    /// `eth_getCode`.
    public func code(at address: Address, block: BlockTag = .latest) async throws(ChainError) -> [UInt8] {
        try await call("eth_getCode", [.string(address.lowercased), block.json], as: HexData.self).bytes
    }

    /// `eth_gasPrice` in wei.
    public func gasPrice() async throws(ChainError) -> UInt256 { try await call("eth_gasPrice", as: BigQuantity.self).value }

    /// `eth_maxPriorityFeePerGas` in wei.
    public func maxPriorityFeePerGas() async throws(ChainError) -> UInt256 {
        try await call("eth_maxPriorityFeePerGas", as: BigQuantity.self).value
    }

    /// `eth_feeHistory` over the last `blocks` blocks with the given reward percentiles.
    public func feeHistory(blocks: UInt64, newest: BlockTag = .latest, percentiles: [Double] = []) async throws(ChainError) -> FeeHistory {
        try await call("eth_feeHistory", [.string(Hex.quantity(blocks)), newest.json, .array(percentiles.map { .number($0) })],
                 as: FeeHistory.self)
    }

    /// `eth_estimateGas`. A revert comes back as `ChainError.reverted` with its reason.
    public func estimateGas(_ request: CallRequest) async throws(ChainError) -> UInt64 {
        try await call("eth_estimateGas", [request.json], as: Quantity.self).value
    }

    /// `eth_call`: the returned bytes. A revert comes back as `ChainError.reverted`.
    public func call(_ request: CallRequest, at block: BlockTag = .latest) async throws(ChainError) -> [UInt8] {
        try await call("eth_call", [request.json, block.json], as: HexData.self).bytes
    }

    /// `eth_getTransactionByHash`; nil when the node does not know it.
    public func transaction(_ hash: Hash32) async throws(ChainError) -> TransactionInfo? {
        try await call("eth_getTransactionByHash", [.string(hash.description)], as: TransactionInfo?.self)
    }

    /// `eth_getTransactionByHash` of each of `hashes` in one round trip (a batch); nil where the
    /// node does not know it.
    public func transactions(_ hashes: [Hash32]) async throws(ChainError) -> [Result<TransactionInfo?, ChainError>] {
        try await batch("eth_getTransactionByHash", hashes.map { [.string($0.description)] }, as: TransactionInfo?.self)
    }

    /// The latest block's number and how many transactions each of `senders` has mined (its
    /// next nonce at `latest`), in one round trip: a batch of `eth_blockNumber` first, then
    /// `eth_getTransactionCount` at `latest`, so each count is of that block or a later one.
    public func headAndNonces(of senders: [Address]) async throws(ChainError) -> (block: UInt64, nonces: [Result<UInt64, ChainError>]) {
        let calls = [(method: "eth_blockNumber", params: [JSONValue]())]
            + senders.map { (method: "eth_getTransactionCount", params: [JSONValue.string($0.lowercased), BlockTag.latest.json]) }
        let answers = try await batch(calls, as: Quantity.self)
        return (try answers[0].get().value, answers.dropFirst().map { $0.map(\.value) })
    }

    /// How many transactions `address` had mined by each of `blocks` (`eth_getTransactionCount`
    /// at those blocks), in one round trip; a node without the state of an old block fails that item.
    public func nonces(of address: Address, at blocks: [UInt64]) async throws(ChainError) -> [Result<UInt64, ChainError>] {
        try await batch("eth_getTransactionCount", blocks.map { [.string(address.lowercased), BlockTag.number($0).json] }, as: Quantity.self)
            .map { $0.map(\.value) }
    }

    /// `eth_getTransactionReceipt`; nil while pending or unknown.
    public func receipt(_ hash: Hash32) async throws(ChainError) -> Receipt? {
        try await call("eth_getTransactionReceipt", [.string(hash.description)], as: Receipt?.self)
    }

    /// `eth_getBlockByNumber`, with full transactions or only their hashes; nil beyond the head.
    public func block(_ tag: BlockTag, fullTransactions: Bool = false) async throws(ChainError) -> Block? {
        try await call("eth_getBlockByNumber", [tag.json, .bool(fullTransactions)], as: Block?.self)
    }

    /// Why a mined transaction reverted: replays it as a call at its block and decodes the
    /// revert data. "reverted" when the node gives no reason.
    public func revertReason(of transaction: TransactionInfo, block: UInt64) async -> String {
        let from = transaction.from, to = transaction.to
        let request = CallRequest(from: from, to: to, value: transaction.value.value, data: transaction.input.bytes, gas: transaction.gas.value)
        do {
            _ = try await call(request, at: .number(block))
            return "reverted (the replay did not reproduce the failure)"
        } catch {
            // A contract's text: shown and stored at most 200 characters long.
            if case .reverted(_, _, let reason) = error { return String(reason.description.prefix(200)) }
            return "reverted"
        }
    }

    /// `eth_getLogs`.
    public func logs(_ filter: LogFilter) async throws(ChainError) -> [Log] {
        try await call("eth_getLogs", [filter.json], as: [Log].self)
    }

    /// Broadcasts a signed transaction and returns its hash.
    ///
    /// Never blindly duplicated: an endpoint that could not be reached at all is skipped for the
    /// next; after a timeout or a broken exchange (the node may have it) the transaction is looked
    /// up by hash instead of sent again. "already known" means the node has it: its hash is
    /// returned. "nonce too low" becomes `ChainError.nonceTooLow`.
    public func sendRawTransaction(_ raw: [UInt8]) async throws(ChainError) -> Hash32 {
        let hash = Hash32.keccak(raw)
        let method = "eth_sendRawTransaction"
        let body = try encode(Request(id: 1, method: method, params: [.string(Hex.encode(raw))]), method: method)
        var lastError: ChainError?
        for endpoint in orderedEndpoints() {
            let data: [UInt8]
            do {
                data = try await sendOnce(body, endpoint: endpoint)
            } catch let failure as SendFailure {
                switch failure {
                case .notDelivered(let error):
                    lastError = error
                    continue
                case .maybeDelivered:
                    if (try? await transaction(hash)) != nil { return hash }
                    throw .broadcastUnconfirmed(endpoint: endpoint, hash: hash.description)
                }
            } catch {
                throw .broadcastUnconfirmed(endpoint: endpoint, hash: hash.description)
            }
            let returned: HexData
            do {
                returned = try Self.decodeEnvelope(data, as: HexData.self, endpoint: endpoint, method: method)
            } catch {
                guard case .rpc(_, _, _, let message, _) = error else { throw error }
                let lowered = message.lowercased()
                if lowered.contains("already known") || lowered.contains("known transaction") { return hash }
                if lowered.contains("nonce too low") || (lowered.contains("invalid nonce") && lowered.contains("low")) {
                    throw .nonceTooLow(endpoint: endpoint, message: message)
                }
                throw error
            }
            guard returned.bytes == hash.bytes else {
                throw .invalidResponse(endpoint: endpoint, method: method, reason: "the node returned another hash")
            }
            return hash
        }
        throw lastError ?? .transport(endpoint: endpoints[0], method: method, message: "no endpoint could be reached")
    }

    private enum SendFailure: Error {
        case notDelivered(ChainError)
        case maybeDelivered
    }

    private func sendOnce(_ body: [UInt8], endpoint: String) async throws -> [UInt8] {
        let response: HTTPTransport.Response
        do {
            // A broadcast is not cut short by the request's deadline: given up halfway, it may or may not have reached the node.
            response = try await transport.post(url: endpoint, body: body, timeout: nil)
        } catch {
            markFailed(endpoint)
            switch error {
            case .connect(let message):
                throw SendFailure.notDelivered(.transport(endpoint: endpoint, method: "eth_sendRawTransaction", message: message))
            case .overloaded:
                throw SendFailure.notDelivered(.busy(endpoint: endpoint, method: "eth_sendRawTransaction"))
            case .timeout, .transport, .cancelled: throw SendFailure.maybeDelivered
            }
        }
        guard response.status == 200 else {
            if response.status == 429 || response.status == 503 {
                throw SendFailure.notDelivered(.httpStatus(endpoint: endpoint, method: "eth_sendRawTransaction", status: response.status))
            }
            throw SendFailure.maybeDelivered
        }
        markHealthy(endpoint)
        return response.body
    }
}
