import Testing
@testable import SonicChain

@Suite struct RPCClientTests {
    @Test func refusedConnectionNamesEndpointAndMethod() {
        let client = RPCClient(endpoints: [TestChain.deadURL], transport: HTTPTransport(connectTimeout: 1, totalTimeout: 2))
        do {
            _ = try client.chainID()
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

    @Test(.enabled(if: TestChain.available)) func readsChainIDAndBlockNumber() throws {
        let client = RPCClient(endpoints: [TestChain.rpcURL!])
        #expect(try client.chainID() == 31337)
        let first = try client.blockNumber()
        _ = try client.call("evm_mine", as: String.self)
        #expect(try client.blockNumber() == first + 1)
    }

    @Test(.enabled(if: TestChain.available)) func failsOverFromADeadEndpoint() throws {
        let client = RPCClient(endpoints: [TestChain.deadURL, TestChain.rpcURL!])
        #expect(try client.chainID() == 31337)
    }

    @Test(.enabled(if: TestChain.available)) func nodeErrorsAreAnswersNotOutages() {
        let client = RPCClient(endpoints: [TestChain.rpcURL!])
        #expect {
            _ = try client.call("no_such_method", as: String.self)
        } throws: { error in
            guard case ChainError.rpc(_, let method, let code, let message, _) = error else { return false }
            return method == "no_such_method" && code == -32601 && message.contains("does not exist")
        }
    }

    @Test(.enabled(if: TestChain.available)) func wrongResultTypeIsAnInvalidResponse() {
        let client = RPCClient(endpoints: [TestChain.rpcURL!])
        #expect {
            _ = try client.call("eth_accounts", as: Quantity.self)
        } throws: { error in
            guard case ChainError.invalidResponse(_, let method, _) = error else { return false }
            return method == "eth_accounts"
        }
    }
}

@Suite struct NetworkTests {
    @Test func profilesCarrySonicFacts() {
        #expect(Network.named("mainnet")?.chainID == 146)
        #expect(Network.named("testnet")?.chainID == 14601)
        #expect(Network.named("devnet")?.chainID == 31337)
        #expect(Network.named("blaze") == nil)
        #expect(Network.all.allSatisfy { $0.nativeSymbol == "S" })
    }
}
