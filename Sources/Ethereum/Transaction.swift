/// An unsigned Ethereum transaction of one of the three types Sonic accepts.
///
/// - legacy, with EIP-155 replay protection when `chainID` is set (Sonic requires it);
/// - EIP-2930 (type 1), with an access list;
/// - EIP-1559 (type 2), with a priority fee and a fee cap.
///
/// The fee fields live in `fees`, so a legacy transaction cannot carry a fee cap by mistake.
/// See https://eips.ethereum.org/EIPS/eip-155, -2718, -2930, -1559.
public struct Transaction: Hashable, Sendable {
    public enum Fees: Hashable, Sendable {
        case legacy(gasPrice: UInt256)
        case accessList(gasPrice: UInt256)
        case dynamic(maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256)
    }

    public var chainID: UInt64?
    public var nonce: UInt64
    public var fees: Fees
    public var gasLimit: UInt64
    /// nil creates a contract.
    public var to: Address?
    public var value: UInt256
    public var data: [UInt8]
    /// Empty for legacy transactions.
    public var accessList: [AccessListEntry]

    public init(chainID: UInt64?, nonce: UInt64, fees: Fees, gasLimit: UInt64, to: Address?, value: UInt256 = .zero,
                data: [UInt8] = [], accessList: [AccessListEntry] = []) {
        self.chainID = chainID
        self.nonce = nonce
        self.fees = fees
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    /// 0 (legacy), 1 (EIP-2930) or 2 (EIP-1559).
    public var type: UInt8 {
        switch fees {
        case .legacy: 0
        case .accessList: 1
        case .dynamic: 2
        }
    }

    /// The most this transaction can cost: gas limit × (gas price or fee cap) + value.
    public var maxCost: UInt256? {
        let price: UInt256
        switch fees {
        case .legacy(let gasPrice), .accessList(let gasPrice): price = gasPrice
        case .dynamic(_, let maxFeePerGas): price = maxFeePerGas
        }
        return price.multiplied(by: UInt256(gasLimit)).flatMap { $0.adding(value) }
    }

    /// The fields before the signature, in RLP order.
    func payloadFields() throws(TransactionError) -> [RLPItem] {
        let to: RLPItem = .bytes(self.to?.bytes ?? [])
        let common: [RLPItem] = [.uint(gasLimit), to, .uint(value), .bytes(data)]
        switch fees {
        case .legacy(let gasPrice):
            guard accessList.isEmpty else { throw .accessListOnLegacy }
            return [.uint(nonce), .uint(gasPrice)] + common
        case .accessList(let gasPrice):
            guard let chainID else { throw .missingChainID }
            return [.uint(chainID), .uint(nonce), .uint(gasPrice)] + common + [accessListItem]
        case .dynamic(let priority, let cap):
            guard let chainID else { throw .missingChainID }
            return [.uint(chainID), .uint(nonce), .uint(priority), .uint(cap)] + common + [accessListItem]
        }
    }

    var accessListItem: RLPItem {
        .list(accessList.map { .list([.bytes($0.address.bytes), .list($0.storageKeys.map { .bytes($0) })]) })
    }

    /// The bytes whose Keccak-256 is signed.
    public func signingPayload() throws(TransactionError) -> [UInt8] {
        let fields = try payloadFields()
        switch fees {
        case .legacy:
            if let chainID { return RLP.encode(.list(fields + [.uint(chainID), .bytes([]), .bytes([])])) }
            return RLP.encode(.list(fields))
        case .accessList, .dynamic:
            return [type] + RLP.encode(.list(fields))
        }
    }

    /// keccak256 of `signingPayload()`.
    public func signingHash() throws(TransactionError) -> [UInt8] { Keccak256.hash(try signingPayload()) }

    /// Signs with `key` and serializes.
    public func signed(with key: PrivateKey) throws(TransactionError) -> SignedTransaction {
        let signature = key.sign(digest: try signingHash())
        return try SignedTransaction(transaction: self, signature: signature, sender: key.address)
    }
}

/// One entry of an EIP-2930 access list.
public struct AccessListEntry: Hashable, Sendable {
    public var address: Address
    /// 32-byte storage slots.
    public var storageKeys: [[UInt8]]

    public init(address: Address, storageKeys: [[UInt8]]) {
        self.address = address
        self.storageKeys = storageKeys
    }
}

/// Why a transaction could not be built, signed or decoded.
public enum TransactionError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingChainID
    case accessListOnLegacy
    case unsupportedType(UInt8)
    case malformed(RLPError)
    case wrongFieldCount(type: UInt8, expected: Int, got: Int)
    case invalidSignature(SignatureError)
    case invalidV(String)
    case empty

    public var description: String {
        switch self {
        case .missingChainID: "typed transactions need a chain id"
        case .accessListOnLegacy: "a legacy transaction has no access list"
        case .unsupportedType(let type): "transaction type \(type) is not supported (0, 1 and 2 are)"
        case .malformed(let error): "malformed transaction: \(error)"
        case .wrongFieldCount(let type, let expected, let got): "a type-\(type) transaction has \(expected) fields, got \(got)"
        case .invalidSignature(let error): "invalid transaction signature: \(error)"
        case .invalidV(let v): "legacy v = \(v) is neither 27/28 nor 35 + 2 × chain id (+1)"
        case .empty: "empty transaction"
        }
    }
}
