import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore
import Synchronization

/// The parts of the Etherscan V2 API the backfill uses: an address's normal transactions
/// (`account/txlist`) and ERC-20 transfers (`account/tokentx`), with `chainid` for Sonic.
/// See https://docs.etherscan.io/ (V2 migration, "Get an address's full transaction history").
///
/// Keeps below the free tier's 5 calls a second and waits and retries when told it went over.
public final class EtherscanClient: Sendable {
    let baseURL: String
    let apiKey: Secret
    let chainID: UInt64
    let transport: HTTPTransport
    /// Seconds between calls.
    let spacing: Double
    private let lastCall = Mutex<Date>(.distantPast)

    public init(baseURL: String, apiKey: Secret, chainID: UInt64, spacing: Double = 0.25, transport: HTTPTransport = HTTPTransport(totalTimeout: 30)) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.chainID = chainID
        self.spacing = spacing
        self.transport = transport
    }

    /// One record of `txlist` or `tokentx` (fields as strings, as Etherscan sends them).
    public struct Record: Decodable, Sendable {
        public let blockNumber: String
        public let timeStamp: String
        public let hash: String
        public let transactionIndex: String?
        public let from: String
        public let to: String?
        public let value: String
        public let gasUsed: String?
        public let gasPrice: String?
        public let isError: String?
        public let input: String?
        public let contractAddress: String?
        public let functionName: String?
        public let tokenSymbol: String?
        public let tokenDecimal: String?
    }

    struct Envelope: Decodable {
        let status: String
        let message: String
        let result: ResultField
    }

    /// `result` is a list of records, or a message when `status` is "0".
    enum ResultField: Decodable {
        case records([Record])
        case message(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let records = try? container.decode([Record].self) { self = .records(records) } else { self = .message(try container.decode(String.self)) }
        }
    }

    /// Largest page Etherscan returns on the free tier.
    public static let pageSize = 1_000

    /// One page of `action` (`txlist` or `tokentx`) for `address`, oldest first, from `startBlock` to `endBlock`.
    public func page(_ action: String, address: Address, startBlock: UInt64, endBlock: UInt64) throws(BackfillError) -> [Record] {
        var query = URLComponents()
        query.queryItems = [
            URLQueryItem(name: "chainid", value: String(chainID)), URLQueryItem(name: "module", value: "account"),
            URLQueryItem(name: "action", value: action), URLQueryItem(name: "address", value: address.lowercased),
            URLQueryItem(name: "startblock", value: String(startBlock)), URLQueryItem(name: "endblock", value: String(endBlock)),
            URLQueryItem(name: "page", value: "1"), URLQueryItem(name: "offset", value: String(Self.pageSize)),
            URLQueryItem(name: "sort", value: "asc"),
            // The key goes only into the URL sent; it never appears in errors or logs.
            URLQueryItem(name: "apikey", value: String(decoding: apiKey.revealedBytes, as: UTF8.self)),
        ]
        let url = baseURL + "?" + (query.percentEncodedQuery ?? "")
        for attempt in 0..<5 {
            pace()
            let response: HTTPTransport.Response
            do { response = try transport.get(url: url) } catch {
                throw .unreachable("\(error)")
            }
            guard response.status == 200 else {
                if response.status == 429 || response.status >= 500 {
                    Thread.sleep(forTimeInterval: Double(attempt + 1))
                    continue
                }
                throw .refused("HTTP \(response.status)")
            }
            let envelope: Envelope
            do { envelope = try JSONDecoder().decode(Envelope.self, from: Data(response.body)) } catch {
                throw .invalidAnswer("the answer is not Etherscan's JSON: \(error)")
            }
            switch envelope.result {
            case .records(let records): return records
            case .message(let text):
                if text.localizedCaseInsensitiveContains("rate limit") {
                    Thread.sleep(forTimeInterval: Double(attempt + 1))
                    continue
                }
                if envelope.message.localizedCaseInsensitiveContains("No transactions found") { return [] }
                throw .refused(text)
            }
        }
        throw .refused("still over the rate limit after 5 attempts")
    }

    private func pace() {
        let wait = lastCall.withLock { last -> Double in
            let now = Date()
            let wait = max(0, spacing - now.timeIntervalSince(last))
            last = now.addingTimeInterval(wait)
            return wait
        }
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }
}

/// Why a backfill stopped.
public enum BackfillError: Error, Sendable, CustomStringConvertible {
    case unreachable(String)
    case refused(String)
    case invalidAnswer(String)
    case store(StoreError)

    public var description: String {
        switch self {
        case .unreachable(let why): "Etherscan could not be reached: \(why)"
        case .refused(let why): "Etherscan refused: \(why)"
        case .invalidAnswer(let why): "Etherscan's answer could not be read: \(why)"
        case .store(let error): "\(error)"
        }
    }
}

/// Fills a watched address's history below where the indexer started, from Etherscan, paged
/// by block number (each next page starts at the last block seen; repeats are skipped).
public struct EtherscanBackfill: Sendable {
    let store: any IndexRepository
    let chainID: UInt64
    let nativeSymbol: String
    let client: EtherscanClient

    public init(store: any IndexRepository, chainID: UInt64, network: Network, client: EtherscanClient) {
        self.store = store
        self.chainID = chainID
        self.nativeSymbol = network.nativeSymbol
        self.client = client
    }

    /// Backfills `address`; returns how many entries were new.
    public func run(_ address: Address) throws(BackfillError) -> Int {
        let end: UInt64
        do { end = try blocking(store) { [chainID] store async throws(StoreError) in try await store.indexerState(chainID: chainID) }?.indexed ?? UInt64(Int64.max) } catch { throw .store(error) }
        var added = 0
        for action in ["txlist", "tokentx"] {
            var start: UInt64 = 0
            var seen: Set<String> = []
            while true {
                let records = try client.page(action, address: address, startBlock: start, endBlock: end)
                let fresh = records.filter { seen.insert("\($0.hash)/\($0.from)/\($0.to ?? "")/\($0.value)").inserted }
                let entries = fresh.enumerated().compactMap { index, record in
                    action == "txlist" ? Self.entry(transaction: record, for: address, nativeSymbol: nativeSymbol)
                        : Self.entry(tokenTransfer: record, ordinal: index, for: address)
                }
                do { added += try blocking(store) { [entries] store async throws(StoreError) in try await store.insertBackfilled(entries, source: "etherscan") } } catch { throw .store(error) }
                guard records.count >= EtherscanClient.pageSize, let last = records.last.flatMap({ UInt64($0.blockNumber) }), last > start
                else { break }
                start = last
            }
        }
        return added
    }

    /// A normal transaction as a history entry of `address`; nil when it is not one of its
    /// (or its hash, addresses or amounts do not parse).
    static func entry(transaction record: EtherscanClient.Record, for address: Address, nativeSymbol: String) -> ActivityEntry? {
        guard let parties = parties(record, of: address), let value = try? UInt256(parsing: record.value) else { return nil }
        let (hash, from, to, block, time) = parties
        let input = record.input ?? "0x"
        let kind: ActivityEntry.Kind = to == nil ? .contractCreation : (input == "0x" || input.isEmpty ? .transfer : .contractCall)
        let direction: ActivityEntry.Direction = from == to ? .own : (from == address ? .outgoing : .incoming)
        var fee: UInt256?
        if from == address, let used = record.gasUsed.flatMap({ try? UInt256(parsing: $0) }), let price = record.gasPrice.flatMap({ try? UInt256(parsing: $0) }) {
            fee = used.multiplied(by: price)
        }
        let failed = record.isError == "1"
        let method = record.functionName.flatMap { $0.isEmpty ? nil : String($0.prefix { $0 != "(" }) }
        let created = record.contractAddress.flatMap { try? Address($0) }
        let counterparty = direction == .incoming ? from : (to ?? created)
        return ActivityEntry(address: address, block: block, txIndex: Int(record.transactionIndex ?? "0") ?? 0, seq: -1, hash: hash,
                             time: time, kind: kind, direction: direction, counterparty: counterparty, amountWei: value,
                             tokenSymbol: nativeSymbol, tokenDecimals: 18, feeWei: fee, status: failed ? .failed : .confirmed,
                             reason: failed ? "reverted (reported by Etherscan)" : nil, method: kind == .transfer ? nil : method)
    }

    /// An ERC-20 transfer as a history entry of `address`. Etherscan gives no log index, so
    /// entries of one transaction are ordered after its own, by their place in the answer.
    static func entry(tokenTransfer record: EtherscanClient.Record, ordinal: Int, for address: Address) -> ActivityEntry? {
        guard let (hash, from, to, block, time) = parties(record, of: address), let to, let value = try? UInt256(parsing: record.value),
              let contract = record.contractAddress.flatMap({ try? Address($0) }) else { return nil }
        let direction: ActivityEntry.Direction = from == to ? .own : (from == address ? .outgoing : .incoming)
        return ActivityEntry(address: address, block: block, txIndex: Int(record.transactionIndex ?? "0") ?? 0, seq: 1_000_000 + ordinal,
                             hash: hash, time: time, kind: .tokenTransfer, direction: direction,
                             counterparty: direction == .incoming ? from : to, amountWei: value,
                             tokenSymbol: KnownToken.shown(record.tokenSymbol ?? ""), tokenAddress: contract,
                             tokenDecimals: min(Int(record.tokenDecimal ?? "0") ?? 0, 77), status: .confirmed)
    }

    /// The hash, sender, recipient (nil for a contract creation), block and time of a record of
    /// `address`'s; nil when `address` is neither party or a field does not parse.
    static func parties(_ record: EtherscanClient.Record, of address: Address)
        -> (hash: Hash32, from: Address, to: Address?, block: UInt64, time: UInt64)? {
        guard let hash = try? Hash32(record.hash), let from = try? Address(record.from.lowercased()),
              let block = UInt64(record.blockNumber), let time = UInt64(record.timeStamp) else { return nil }
        let to: Address?
        if let text = record.to, !text.isEmpty {
            guard let parsed = try? Address(text.lowercased()) else { return nil }
            to = parsed
        } else {
            to = nil
        }
        guard from == address || to == address else { return nil }
        return (hash, from, to, block, time)
    }
}
