import Foundation
import SonicConfig
import TestSupport
import Testing
@testable import SonicChain

@Suite struct RPCClientTests {
    @Test func refusedConnectionNamesEndpointAndMethod() async {
        let client = RPCClient(endpoints: [TestChain.deadURL], transport: HTTPTransport(connectTimeout: 1, totalTimeout: 2))
        do {
            _ = try await client.chainID()
            Issue.record("a dead endpoint answered")
        } catch {
            guard case .transport(let endpoint, let method, _) = error else {
                Issue.record("expected a transport error, got \(error)")
                return
            }
            #expect(endpoint == TestChain.deadURL)
            #expect(method == "eth_chainId")
            #expect(error.description.hasPrefix("eth_chainId to http://127.0.0.1:9 failed"))
        }
    }

    /// A hung node (it takes the connection and never answers) is asked once per call, not once
    /// per attempt, and the client then knows it is unreachable.
    @Test func aTimedOutEndpointIsNotAskedAgainInTheSameCall() async throws {
        let (listener, port) = loopbackSocket()
        defer { close(listener) }
        listen(listener, 16)  // the kernel completes connections; nobody reads them
        let hung = "http://127.0.0.1:\(port)"
        let client = RPCClient(endpoints: [hung], transport: HTTPTransport(connectTimeout: 1, totalTimeout: 0.3), maxAttempts: 3)
        #expect(!client.isUnreachable(within: 5))
        await #expect(throws: ChainError.self) { _ = try await client.chainID() }
        #expect(client.metrics.snapshot()["eth_chainId"]?.calls == 1)
        #expect(client.isUnreachable(within: 5))
        #expect(!client.isUnreachable(within: 5, now: Date().addingTimeInterval(10)))
    }

    @Test(.enabled(if: TestChain.available)) func readsChainIDAndBlockNumber() async throws {
        let client = RPCClient(endpoints: [TestChain.rpcURL!])
        #expect(try await client.chainID() == 31337)
        let first = try await client.blockNumber()
        _ = try await client.call("evm_mine", as: String.self)
        #expect(try await client.blockNumber() == first + 1)
    }

    /// The head and a balance in one HTTP exchange, agreeing with the two reads made apart.
    @Test(.enabled(if: TestChain.available)) func readsTheHeadAndABalanceInOneExchange() async throws {
        let client = RPCClient(endpoints: [TestChain.rpcURL!])
        let account = TestChain.keys[0].address
        let (block, balance) = try await client.headAndBalance(of: account)
        #expect(client.metrics.snapshot()["eth_blockNumber+eth_getBalance"]?.calls == 1)
        #expect(client.metrics.snapshot().count == 1)
        #expect(balance == (try await client.balance(of: account, at: .number(block))))
        #expect(block <= (try await client.blockNumber()))
        #expect(balance > .zero)
    }

    @Test(.enabled(if: TestChain.available)) func failsOverFromADeadEndpoint() async throws {
        let client = RPCClient(endpoints: [TestChain.deadURL, TestChain.rpcURL!])
        #expect(try await client.chainID() == 31337)
    }

    @Test(.enabled(if: TestChain.available)) func nodeErrorsAreAnswersNotOutages() async {
        let client = RPCClient(endpoints: [TestChain.rpcURL!])
        await #expect {
            _ = try await client.call("no_such_method", as: String.self)
        } throws: { error in
            guard case ChainError.rpc(_, let method, let code, let message, _) = error else { return false }
            return method == "no_such_method" && code == -32601 && message.contains("does not exist")
        }
    }

    @Test(.enabled(if: TestChain.available)) func wrongResultTypeIsAnInvalidResponse() async {
        let client = RPCClient(endpoints: [TestChain.rpcURL!])
        await #expect {
            _ = try await client.call("eth_accounts", as: Quantity.self)
        } throws: { error in
            guard case ChainError.invalidResponse(_, let method, _) = error else { return false }
            return method == "eth_accounts"
        }
    }
}

@Suite struct NetworkTests {
    @Test func profilesCarrySonicFacts() async {
        #expect(Network.named("mainnet")?.chainID == 146)
        #expect(Network.named("testnet")?.chainID == 14601)
        #expect(Network.named("devnet")?.chainID == 31337)
        #expect(Network.named("blaze") == nil)
        #expect(Network.all.allSatisfy { $0.nativeSymbol == "S" })
    }
}
