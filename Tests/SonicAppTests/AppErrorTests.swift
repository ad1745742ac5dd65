import Ethereum
import SonicChain
import Testing
@testable import SonicApp

/// What a person is told of a node's failure never carries the node's URL: a provider's URL can
/// hold its key (`https://rpc.example/v1/KEY`).
@Suite struct AppErrorTests {
    static let endpoint = "http://127.0.0.1:8545/v1/SECRETKEY"

    @Test(arguments: [
        ChainError.transport(endpoint: endpoint, method: "eth_call", message: "Connection refused"),
        .reverted(endpoint: endpoint, method: "eth_estimateGas", reason: .message("paused")),
        .nonceTooLow(endpoint: endpoint, message: "nonce too low at \(endpoint)"),
        .broadcastUnconfirmed(endpoint: endpoint, hash: "0x" + String(repeating: "ab", count: 32)),
        .timeout(endpoint: endpoint, method: "eth_call", seconds: 5),
        .httpStatus(endpoint: endpoint, method: "eth_call", status: 502),
        .rpc(endpoint: endpoint, method: "eth_sendRawTransaction", code: -32000, message: "see \(endpoint)/why", data: nil),
        .invalidResponse(endpoint: endpoint, method: "eth_call", reason: "not hex"),
    ])
    func noAnswerOrLogLineCarriesTheEndpoint(_ error: ChainError) {
        let answer = AppError(error)
        #expect(!answer.detail.contains("SECRETKEY") && !answer.summary.contains("SECRETKEY"), "\(answer)")
        #expect(!error.description.contains("SECRETKEY") && !error.description.contains("/v1"), "\(error)")
    }

    @Test func theNodesOwnWordsAreKeptButBounded() {
        #expect(AppError(.rpc(endpoint: Self.endpoint, method: "eth_sendRawTransaction", code: -32000,
                              message: "insufficient funds for gas * price + value", data: nil)).detail
                == "insufficient funds for gas * price + value")
        #expect(AppError(.rpc(endpoint: Self.endpoint, method: "m", code: 1, message: String(repeating: "x", count: 10_000), data: nil)).detail.count == 200)
    }
}
