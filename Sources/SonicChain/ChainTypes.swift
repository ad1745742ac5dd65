import Ethereum

/// A JSON-RPC `QUANTITY` of up to 256 bits: balances, fees, values.
public struct BigQuantity: Codable, Hashable, Sendable {
    public let value: UInt256
    public init(_ value: UInt256) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard text.hasPrefix("0x"), let value = try? UInt256(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a hex quantity"))
        }
        self.value = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value.hexQuantity)
    }
}

/// JSON-RPC `DATA`: 0x-hex bytes.
public struct HexData: Codable, Hashable, Sendable {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { bytes = try Hex.decode(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Hex.encode(bytes))
    }
}

/// Which block a read refers to.
public enum BlockTag: Sendable, Hashable {
    case latest, pending, earliest, safe, finalized
    case number(UInt64)

    var json: JSONValue {
        switch self {
        case .latest: .string("latest")
        case .pending: .string("pending")
        case .earliest: .string("earliest")
        case .safe: .string("safe")
        case .finalized: .string("finalized")
        case .number(let number): .string(Hex.quantity(number))
        }
    }
}

/// The transaction-shaped argument of `eth_call` and `eth_estimateGas`.
public struct CallRequest: Sendable, Hashable {
    public var from: Address?
    public var to: Address?
    public var value: UInt256?
    public var data: [UInt8]
    public var gas: UInt64?

    public init(from: Address? = nil, to: Address?, value: UInt256? = nil, data: [UInt8] = [], gas: UInt64? = nil) {
        self.from = from
        self.to = to
        self.value = value
        self.data = data
        self.gas = gas
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["input": .string(Hex.encode(data))]
        if let from { object["from"] = .string(from.lowercased) }
        if let to { object["to"] = .string(to.lowercased) }
        if let value { object["value"] = .string(value.hexQuantity) }
        if let gas { object["gas"] = .string(Hex.quantity(gas)) }
        return .object(object)
    }
}

// The decoded answers below carry addresses and hashes as `Address` and `Hash32`: decoding
// refuses a value of the wrong length (or a bad checksum) with the field's path, so nothing
// downstream parses hex again.

/// A block as `eth_getBlockByNumber` returns it; `transactions` holds hashes or, with full
/// transactions, the transactions themselves.
public struct Block: Decodable, Sendable {
    public let number: Quantity
    public let hash: Hash32
    public let parentHash: Hash32
    public let timestamp: Quantity
    public let gasLimit: Quantity
    public let gasUsed: Quantity
    public let baseFeePerGas: BigQuantity?
    public let transactions: [BlockTransaction]
}

/// A transaction hash, or a whole transaction, inside a block.
public enum BlockTransaction: Decodable, Sendable {
    case hash(Hash32)
    case full(TransactionInfo)

    public init(from decoder: any Decoder) throws {
        if (try? decoder.singleValueContainer().decode(String.self)) != nil {
            self = .hash(try Hash32(from: decoder))
        } else {
            self = .full(try TransactionInfo(from: decoder))
        }
    }
}

/// A transaction as `eth_getTransactionByHash` returns it.
public struct TransactionInfo: Decodable, Sendable {
    public let hash: Hash32
    public let nonce: Quantity
    public let blockHash: Hash32?
    public let blockNumber: Quantity?
    public let transactionIndex: Quantity?
    public let from: Address
    public let to: Address?
    public let value: BigQuantity
    public let gas: Quantity
    public let gasPrice: BigQuantity?
    public let maxFeePerGas: BigQuantity?
    public let maxPriorityFeePerGas: BigQuantity?
    public let input: HexData
    public let type: Quantity?
}

/// A receipt as `eth_getTransactionReceipt` returns it.
public struct Receipt: Decodable, Sendable {
    public let transactionHash: Hash32
    public let blockHash: Hash32
    public let blockNumber: Quantity
    public let from: Address
    public let to: Address?
    public let gasUsed: Quantity
    public let effectiveGasPrice: BigQuantity
    public let contractAddress: Address?
    public let logs: [Log]
    public let status: Quantity

    public var succeeded: Bool { status.value == 1 }

    /// gas used × effective gas price.
    public var fee: UInt256 { effectiveGasPrice.value.multiplied(by: UInt256(gasUsed.value)) ?? .max }
}

/// An event log.
public struct Log: Decodable, Sendable, Hashable {
    public let address: Address
    public let topics: [Hash32]
    public let data: HexData
    public let blockNumber: Quantity
    public let blockHash: Hash32
    public let transactionHash: Hash32
    public let transactionIndex: Quantity
    public let logIndex: Quantity
    public let removed: Bool?
}

/// What `eth_feeHistory` returns.
public struct FeeHistory: Decodable, Sendable {
    public let oldestBlock: Quantity
    public let baseFeePerGas: [BigQuantity]
    public let gasUsedRatio: [Double]
    public let reward: [[BigQuantity]]?

    public init(oldestBlock: Quantity, baseFeePerGas: [BigQuantity], gasUsedRatio: [Double], reward: [[BigQuantity]]?) {
        self.oldestBlock = oldestBlock
        self.baseFeePerGas = baseFeePerGas
        self.gasUsedRatio = gasUsedRatio
        self.reward = reward
    }
}

/// An `eth_getLogs` filter.
public struct LogFilter: Sendable {
    public var fromBlock: BlockTag
    public var toBlock: BlockTag
    public var addresses: [Address]
    /// Per position: nil matches anything, otherwise any of the listed topics.
    public var topics: [[Hash32]?]

    public init(fromBlock: BlockTag, toBlock: BlockTag = .latest, addresses: [Address] = [], topics: [[Hash32]?] = []) {
        self.fromBlock = fromBlock
        self.toBlock = toBlock
        self.addresses = addresses
        self.topics = topics
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["fromBlock": fromBlock.json, "toBlock": toBlock.json]
        if !addresses.isEmpty { object["address"] = .array(addresses.map { .string($0.lowercased) }) }
        if !topics.isEmpty {
            object["topics"] = .array(topics.map { options in
                options.map { .array($0.map { .string($0.description) }) } ?? .null
            })
        }
        return .object(object)
    }
}
