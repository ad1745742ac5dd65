import BigInt
import Ethereum
import Foundation
import Testing
@testable import SonicChain

/// Chain access against the real devnet: reads, fees, signed transfers, reverts, batches,
/// Multicall3, failover, and our contracts through their bindings.
@Suite(.enabled(if: TestChain.available), .serialized)
struct ChainIntegrationTests {
    let client = TestChain.client()

    @Test func balanceAndNonce() async throws {
        let address = TestChain.keys[2].address
        #expect(try await client.balance(of: address) > (try Units.parse("1", decimals: 18)))
        #expect(try await client.nonce(of: address, at: .pending) >= (try client.nonce(of: address, at: .latest)))
    }

    @Test func feeSuggestionFollowsTheBaseFee() async throws {
        let suggestion = try await FeeAdvisor(client: client, minimumBaseFee: .zero).suggest()
        #expect(suggestion.baseFee > .zero)
        #expect(suggestion.maxFeePerGas == suggestion.baseFee.multiplied(by: 2)!.adding(suggestion.maxPriorityFeePerGas)!)
        // Sonic's 50 gwei floor applies whatever the node says.
        let floored = try await FeeAdvisor(client: client, minimumBaseFee: UInt256(50_000_000_000)).suggest()
        #expect(floored.baseFee == UInt256(50_000_000_000))
    }

    @Test func signedTransferConfirmsAndMovesExactValue() async throws {
        let recipient = PrivateKey.generate().address
        let amount = try Units.parse("1.25", decimals: 18)
        let receipt = try await TestChain.sender(1).sendAndWait(CallRequest(to: recipient, value: amount))
        #expect(receipt.succeeded)
        #expect(receipt.gasUsed.value == 21_000)
        #expect(try await client.balance(of: recipient) == amount)
        let mined = try await client.transaction(try Hash32(bytes: receipt.transactionHash.bytes))
        #expect(mined?.type?.value == 2)
    }

    @Test func duplicateBroadcastsAreInterpreted() async throws {
        let sender = TestChain.sender(2)
        let key = TestChain.keys[2]
        let fees = try await sender.fees.suggest()
        let nonce = try await client.nonce(of: key.address)
        let signed = try Transaction(chainID: 31337, nonce: nonce, fees: fees.fees, gasLimit: 21_000, to: key.address).signed(with: key)
        let hash = try await client.sendRawTransaction(signed.raw)
        #expect(try await client.sendRawTransaction(signed.raw) == hash)  // "already known" is the same transaction
        let conflicting = try Transaction(chainID: 31337, nonce: nonce, fees: fees.fees, gasLimit: 21_000, to: key.address,
                                          value: UInt256(1)).signed(with: key)
        await #expect {
            _ = try await client.sendRawTransaction(conflicting.raw)
        } throws: { error in
            guard case ChainError.nonceTooLow = error else { return false }
            return true
        }
    }

    @Test func revertReasonIsDecoded() async throws {
        let subscription = SubscriptionContract(address: try await TestChain.deploy("SmartSonicSubscription", [.uint(1_000)]), client: client)
        let request = try subscription.purchaseRequest(periods: 1, price: UInt256(999), from: TestChain.keys[1].address)
        await #expect {
            _ = try await client.estimateGas(request)
        } throws: { error in
            guard case ChainError.reverted(_, let method, let reason) = error else { return false }
            return method == "eth_estimateGas" && reason == .message("subscription: wrong payment")
        }
    }

    @Test func batchReadsMatchSingleReads() async throws {
        let accounts = TestChain.keys.map(\.address)
        let results = try await client.batch("eth_getBalance", accounts.map { [.string($0.lowercased), .string("latest")] }, as: BigQuantity.self)
        #expect(results.count == accounts.count)
        for (result, account) in zip(results, accounts) {
            #expect(try await result.get().value == (try client.balance(of: account)))
        }
        let mixed = try await client.batch("eth_getBalance", [[.string("0x1234")], [.string(accounts[0].lowercased), .string("latest")]],
                                     as: BigQuantity.self)
        #expect(throws: ChainError.self) { try mixed[0].get() }
        #expect(try mixed[1].get().value > .zero)
    }

    @Test func multicallReadsTokenBalancesInOneCall() async throws {
        let holders = TestChain.keys.map(\.address)
        let token = ERC20(address: try await TestChain.deploy("TestToken", [
            .string("Test"), .string("TST"), .uint(6), .array(holders.map { .address($0) }), .uint(5_000_000),
        ]), client: client)
        let multicall = Multicall3(address: try await TestChain.deploy("Multicall3", []), client: client)
        let calls = try holders.map { (target: token.contract.address, data: try ERC20.balanceOf.calldata([.address($0)])) }
        let results = try await multicall.aggregate(calls + [(target: token.contract.address, data: [0xde, 0xad, 0xbe, 0xef])])
        #expect(results.count == holders.count + 1)
        for (result, holder) in zip(results, holders) {
            #expect(result.success)
            #expect(try await ERC20.balanceOf.decodeOutput(result.data) == [.uint(BigUInt(try token.balance(of: holder).value))])
        }
        #expect(results.last?.success == false)
        #expect(try await token.decimals() == 6)
        #expect(try await token.symbol() == "TST")
    }

    @Test func failsOverFromADeadEndpointQuickly() async throws {
        let client = RPCClient(endpoints: [TestChain.deadURL, TestChain.rpcURL!],
                               transport: HTTPTransport(connectTimeout: 1, totalTimeout: 2))
        let started = Date()
        #expect(try await client.chainID() == 31337)
        #expect(Date().timeIntervalSince(started) < 1.5)
        // The dead endpoint is now tried last: the next call goes straight to the live one.
        #expect(client.orderedEndpoints().first == TestChain.rpcURL!)
        #expect(client.metrics.snapshot()["eth_chainId"]?.errors == 1)
    }

    @Test func subscriptionPurchaseAndExtensionThroughBindings() async throws {
        let price = try Units.parse("1", decimals: 18)
        let subscription = SubscriptionContract(address: try await TestChain.deploy("SmartSonicSubscription", [.uint(price.value)]), client: client)
        let buyer = TestChain.keys[1]
        #expect(try await subscription.price() == price)
        #expect(try await !subscription.isActive(buyer.address))
        let first = try await TestChain.sender(1).sendAndWait(try subscription.purchaseRequest(periods: 1, price: price, from: buyer.address))
        #expect(first.succeeded)
        #expect(try await subscription.isActive(buyer.address))
        let expiry = try await subscription.expiresAt(buyer.address)
        let second = try await TestChain.sender(1).sendAndWait(try subscription.purchaseRequest(periods: 2, price: price, from: buyer.address))
        #expect(second.succeeded)
        #expect(try await subscription.expiresAt(buyer.address) == expiry + 2 * SubscriptionContract.period)
        let event = try #require(second.logs.first)
        let arguments = try SubscriptionContract.purchased.decodeLog(topics: event.topics.map(\.bytes), data: event.data.bytes)
        #expect(arguments.map(\.name) == ["user", "start", "end", "paid"])
        #expect(arguments[1].value == .uint(BigUInt(expiry)))
        // The same state in one call through Multicall3 as in four without it.
        let multicall = try await TestChain.deploy("Multicall3", [])
        let state = try await subscription.state(of: buyer.address, multicall: multicall)
        #expect(state == SubscriptionContract.State(expiresAt: expiry + 2 * SubscriptionContract.period, price: price, active: true, paused: false))
        #expect(try await subscription.state(of: buyer.address, multicall: nil) == state)
        #expect(try await subscription.state(of: TestChain.keys[2].address, multicall: multicall).active == false)
    }

    @Test func nftMintAndTokenURI() async throws {
        let nft = NFTContract(address: try await TestChain.deploy("SmartSonicNFT", [.string("Smart Sonic"), .string("SONIC"), .uint(0)]), client: client)
        let owner = TestChain.keys[2].address
        let uri = "ipfs://QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
        let receipt = try await TestChain.sender(2).sendAndWait(try nft.mintRequest(to: owner, uri: uri, fee: try nft.mintFee(), from: owner))
        #expect(receipt.succeeded)
        let minted = try #require(receipt.logs.first { $0.topics.first?.bytes == NFTContract.minted.topic })
        let arguments = try NFTContract.minted.decodeLog(topics: minted.topics.map(\.bytes), data: minted.data.bytes)
        #expect(arguments[2].value == .string(uri))
        #expect(try await nft.erc721.tokenURI(0) == uri)
        #expect(try await nft.erc721.owner(of: 0) == owner)
        #expect(try await nft.erc721.balance(of: owner) == 1)
    }

    @Test func logsByAddressAndTopic() async throws {
        let nft = NFTContract(address: try await TestChain.deploy("SmartSonicNFT", [.string("Logs"), .string("LOG"), .uint(0)]), client: client)
        let owner = TestChain.keys[0].address
        let start = try await client.blockNumber()
        for index in 0..<2 {
            _ = try await TestChain.sender().sendAndWait(try nft.mintRequest(to: owner, uri: "ipfs://x/\(index)", fee: .zero, from: owner))
        }
        let logs = try await client.logs(LogFilter(fromBlock: .number(start), addresses: [nft.contract.address],
                                             topics: [[try Hash32(bytes: NFTContract.minted.topic)]]))
        #expect(logs.count == 2)
        #expect(logs.allSatisfy { $0.address.bytes == nft.contract.address.bytes })
    }

    @Test func blocksWithAndWithoutTransactions() async throws {
        let receipt = try await TestChain.sender().sendAndWait(CallRequest(to: TestChain.keys[1].address, value: UInt256(7)))
        let full = try await #require(try client.block(.number(receipt.blockNumber.value), fullTransactions: true))
        guard case .full(let transaction)? = full.transactions.first else { Issue.record("expected a full transaction"); return }
        #expect(transaction.value.value == UInt256(7))
        let light = try await #require(try client.block(.number(receipt.blockNumber.value)))
        guard case .hash(let hash)? = light.transactions.first else { Issue.record("expected a hash"); return }
        #expect(hash == receipt.transactionHash)
        #expect(try await client.block(.number(receipt.blockNumber.value + 1000)) == nil)
    }

    /// What the watcher reads to tell a replaced transaction: a sender's mined count with the head,
    /// its count at given blocks, and transactions by hash, each in one batch.
    @Test func noncesAtTheHeadAndAtBlocksAndTransactionsInBatches() async throws {
        let key = TestChain.keys[1]
        let receipt = try await TestChain.sender(1).sendAndWait(CallRequest(to: PrivateKey.generate().address, value: UInt256(1)))
        let block = receipt.blockNumber.value
        let found = try await client.transactions([receipt.transactionHash, .keccak([0x5e, 0xed])])
        let nonce = try #require(try found[0].get()).nonce.value
        #expect(try found[1].get() == nil)
        // A block per transaction on the devnet: the count goes from the nonce to one past it there.
        let counts = try await client.nonces(of: key.address, at: [block - 1, block])
        #expect(try counts.map { try $0.get() } == [nonce, nonce + 1])
        let stranger = PrivateKey.generate().address
        let (head, mined) = try await client.headAndNonces(of: [key.address, stranger])
        #expect(head >= block)
        #expect(try mined[0].get() >= nonce + 1 && mined[1].get() == 0)
    }
}
