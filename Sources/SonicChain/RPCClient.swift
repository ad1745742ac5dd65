import Ethereum
import Foundation

/// A JSON-RPC 2.0 client for one network's nodes.
///
/// Calls go to the first endpoint; when it cannot be reached the next is tried, so a dead RPC
/// URL costs one connect timeout, not an outage. Node errors (a JSON-RPC error object) are
/// answers, not outages, and are returned as they are.
public final class RPCClient: Sendable {
    public let endpoints: [String]
    private let transport: HTTPTransport

    /// - Parameters:
    ///   - endpoints: RPC URLs in order of preference; at least one.
    ///   - transport: the HTTP transport (timeouts, connection reuse).
    public init(endpoints: [String], transport: HTTPTransport = HTTPTransport()) {
        precondition(!endpoints.isEmpty, "RPCClient needs at least one endpoint")
        self.endpoints = endpoints
        self.transport = transport
    }

    /// Calls `method` and decodes its `result` as `Result`.
    /// - Throws: `ChainError` naming the endpoint and the method.
    public func call<Result: Decodable>(_ method: String, _ params: [JSONValue] = [], as type: Result.Type = Result.self)
        throws(ChainError) -> Result
    {
        let request = Request(id: 1, method: method, params: params)
        let body: [UInt8]
        do { body = Array(try JSONEncoder().encode(request)) } catch {
            throw .invalidResponse(endpoint: endpoints[0], method: method, reason: "cannot encode params: \(error)")
        }
        var lastError: ChainError?
        for endpoint in endpoints {
            do {
                return try send(body, to: endpoint, method: method, as: type)
            } catch {
                switch error {
                case .transport, .timeout, .httpStatus: lastError = error  // try the next endpoint
                case .rpc, .invalidResponse: throw error
                }
            }
        }
        throw lastError!
    }

    private func send<Result: Decodable>(_ body: [UInt8], to endpoint: String, method: String, as type: Result.Type)
        throws(ChainError) -> Result
    {
        let response: HTTPTransport.Response
        do {
            response = try transport.post(url: endpoint, body: body)
        } catch {
            switch error {
            case .timeout: throw .timeout(endpoint: endpoint, method: method, seconds: transport.totalTimeout)
            case .transport(let message): throw .transport(endpoint: endpoint, method: method, message: message)
            }
        }
        guard response.status == 200 else { throw .httpStatus(endpoint: endpoint, method: method, status: response.status) }
        let envelope: Envelope<Result>
        do {
            envelope = try JSONDecoder().decode(Envelope<Result>.self, from: Data(response.body))
        } catch {
            throw .invalidResponse(endpoint: endpoint, method: method, reason: Self.describe(error))
        }
        if let error = envelope.error {
            throw .rpc(endpoint: endpoint, method: method, code: error.code, message: error.message, data: error.data)
        }
        guard let result = envelope.result else {
            throw .invalidResponse(endpoint: endpoint, method: method, reason: "neither result nor error")
        }
        return result
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.typeMismatch(_, let context) = error { return context.debugDescription }
        if case DecodingError.keyNotFound(let key, _) = error { return "missing \(key.stringValue)" }
        return "not JSON-RPC JSON"
    }

    private struct Request: Encodable {
        let jsonrpc = "2.0"
        let id: Int
        let method: String
        let params: [JSONValue]
    }

    private struct Envelope<Result: Decodable>: Decodable {
        let result: Result?
        let error: ErrorObject?
    }

    private struct ErrorObject: Decodable {
        let code: Int
        let message: String
        let data: String?
    }
}

extension RPCClient {
    /// `eth_chainId`.
    public func chainID() throws(ChainError) -> UInt64 {
        try call("eth_chainId", as: Quantity.self).value
    }

    /// `eth_blockNumber`: the number of the latest block.
    public func blockNumber() throws(ChainError) -> UInt64 {
        try call("eth_blockNumber", as: Quantity.self).value
    }
}
