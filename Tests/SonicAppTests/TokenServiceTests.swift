import AppTestSupport
import Ethereum
import Foundation
import SonicStore
import Testing
@testable import SonicApp

/// Any token and the allowances given, over a fake chain and a real SQLite file: holdings read
/// in one multicall, metadata read once and cleaned, sends and approvals previewed with the
/// token named as unverified, revokes, and the agent's answers.
@Suite struct TokenServiceTests {
    let services: TestServices
    static let me = TestServices.alice
    static let susd = TestServices.token
    static let foo = try! Address("0x00000000000000000000000000000000000000F0")
    static let router = try! Address("0x00000000000000000000000000000000000000A1")

    init() throws {
        services = try TestServices()
        services.chain.update {
            $0.balances[Self.me] = TestServices.s(12)
            $0.tokenBalances[Self.susd] = [Self.me: UInt256(2_500_000)]
            $0.tokenBalances[Self.foo] = [Self.me: UInt256(123_450_000_000)]
            $0.tokenMetadata[Self.foo] = ("F\u{202E}OO\n", 8)
            $0.tokenNames[Self.foo] = "Foo\u{0007} Coin " + String(repeating: "x", count: 200)
        }
    }

    /// Blocks written by the indexer: `me` received FOO at block 1 and approved the router at block 2.
    func index(approvals: [TokenApproval] = []) throws {
        var batch = IndexBatch(chainHead: 2)
        batch.blocks = [IndexedBlock(number: 1, hash: .keccak([1]), parentHash: .keccak([0]), timestamp: 10)]
        batch.entries = [ActivityEntry(address: Self.me, block: 1, txIndex: 0, seq: 0, hash: .keccak([9]), time: 10, kind: .tokenTransfer,
                                       direction: .incoming, counterparty: TestServices.bob, amountWei: 123_450_000_000, tokenSymbol: "FOO",
                                       tokenAddress: Self.foo, tokenDecimals: 8, status: .confirmed)]
        batch.approvals = approvals
        try services.store.apply(batch, chainID: 31337, at: Date())
    }

    static func approval(_ token: Address, _ value: UInt256, log: Int = 0) -> TokenApproval {
        TokenApproval(owner: me, token: token, spender: router, block: 1, logIndex: log, valueWei: value, hash: .keccak([7]), time: 10)
    }

    @Test func holdingsListVerifiedAndReceivedTokensWithExactBalancesInOneMulticallAndMetadataReadOnce() async throws {
        try index()
        let holdings = try await services.app.tokens.holdings(of: Self.me)
        #expect(holdings.native.balance == TestServices.s(12) && holdings.block == 100)
        #expect(holdings.tokens.map(\.token.symbol) == ["SUSD", "FOO"])
        #expect(holdings.tokens.map(\.balance) == [2_500_000, 123_450_000_000] && holdings.tokens.map(\.formatted) == ["2.5", "1234.5"])
        #expect(holdings.tokens.map(\.token.verified) == [true, false] && holdings.tokens.map(\.origin) == [.verified, .received])
        // On-chain text: the bidirectional override and control characters gone, bounded.
        let foo = holdings.tokens[1].token
        #expect(foo.symbol == "FOO" && foo.name.hasPrefix("Foo Coin xxx") && foo.name.count == 64 && foo.decimals == 8)
        #expect(foo.named == "FOO (unverified token \(Self.foo.checksummed))")
        #expect(services.chain.withState { $0.multicalls } == 2)  // the description, then the balances
        _ = try await services.app.tokens.holdings(of: Self.me)
        #expect(services.chain.withState { $0.multicalls } == 3)  // kept: only the balances again
    }

    @Test func anAddedTokenIsListedAndTheCountIsBounded() async throws {
        let added = try await services.app.tokens.add(Self.foo, for: TestServices.bob)
        #expect(added.symbol == "FOO" && !added.verified)
        #expect(try await services.app.tokens.holdings(of: TestServices.bob).tokens.map(\.origin) == [.verified, .added])
        await #expect(throws: AppError.invalidInput(field: "token", summary: "Not a token",
                                                    detail: "token: \(Self.router.checksummed) does not answer name(), symbol() and decimals() as an ERC-20 token on devnet")) {
            try await services.app.tokens.add(Self.router, for: TestServices.bob)
        }
        var limited = services.app.tokens
        limited.maxAdded = 1
        services.chain.update { $0.tokenMetadata[Self.router] = ("R", 0) }
        await #expect(throws: AppError.conflict(summary: "Too many tokens", detail: "an address may add at most 1 tokens; remove one first")) {
            try await limited.add(Self.router, for: TestServices.bob)
        }
    }

    @Test func anyTokenIsSentByAddressOrByTheSymbolOfOneHeldWithItsOwnDecimals() async throws {
        try index()
        let byAddress = try await services.transactions.prepareTransfer(from: Self.me, to: TestServices.bob, amount: "1.00000001", token: Self.foo.checksummed)
        #expect(byAddress.summary == "Send 1.00000001 FOO (unverified token \(Self.foo.checksummed)) to \(TestServices.bob.checksummed)")
        #expect(byAddress.tx.to == Self.foo.checksummed && byAddress.notices?.map(\.code) == [.unverifiedToken])
        #expect(byAddress.tx.data.hasSuffix(String(100_000_001, radix: 16)))  // 1.00000001 × 10^8 base units
        _ = try await services.app.tokens.holdings(of: Self.me)  // keeps FOO's metadata
        let bySymbol = try await services.transactions.prepareTransfer(from: Self.me, to: TestServices.bob, amount: "2", token: "foo")
        #expect(bySymbol.tx.to == Self.foo.checksummed)
        await #expect(throws: AppError.invalidInput(field: "amount", summary: "Invalid amount",
                                                    detail: "amount: amount \"0.000000001\" has more than 8 decimal places, the most this token has (FOO has 8 decimals)")) {
            try await services.transactions.prepareTransfer(from: Self.me, to: TestServices.bob, amount: "0.000000001", token: Self.foo.checksummed)
        }
        await #expect(throws: AppError.self) {
            try await services.transactions.prepareTransfer(from: Self.me, to: TestServices.bob, amount: "1", token: "BAR")
        }
        // Sent to the token's own contract: acknowledged first.
        await #expect(throws: AppError.self) {
            try await services.transactions.prepareTransfer(from: Self.me, to: Self.foo, amount: "1", token: Self.foo.checksummed)
        }
    }

    @Test func allowancesAreListedAsTheyAreNowWithUnlimitedNamed() async throws {
        try index(approvals: [Self.approval(Self.susd, .max), Self.approval(Self.foo, 5, log: 1)])
        services.chain.update {
            $0.allowances[Self.susd] = [Self.me: [Self.router: .max]]
            $0.allowances[Self.foo] = [Self.me: [Self.router: 0]]  // spent since
        }
        let listed = try await services.app.allowances.allowances(of: Self.me).allowances
        #expect(listed.map(\.token.symbol) == ["SUSD", "FOO"])
        #expect(listed.map(\.formatted) == ["unlimited", "0"] && listed.map(\.unlimited) == [true, false])
        #expect(listed.map(\.approved) == [.max, 5] && listed[0].spender.name == nil)
        #expect(try await services.app.allowances.allowances(of: TestServices.bob).allowances.isEmpty)
    }

    @Test func approvalsAreExactByDefaultAndUnlimitedOnlyWhenAskedWithANotice() async throws {
        let service = services.app.allowances
        let exact = try await service.prepareApprove(from: Self.me, token: "SUSD", spender: Self.router.checksummed, amount: "5", unlimited: false)
        #expect(exact.summary == "Allow \(Self.router.checksummed) to spend up to 5 SUSD")
        #expect(exact.tx.to == Self.susd.checksummed && exact.tx.data.hasPrefix("0x095ea7b3") && exact.tx.data.hasSuffix("4c4b40"))
        #expect(exact.notices?.map(\.code) == [.unknownSpender])
        let all = try await service.prepareApprove(from: Self.me, token: "SUSD", spender: Self.router.checksummed, amount: nil, unlimited: true)
        #expect(all.notices?.map(\.code) == [.unknownSpender, .unlimitedAllowance] && all.tx.data.hasSuffix(String(repeating: "f", count: 64)))
        await #expect(throws: AppError.invalidInput(field: "amount", summary: "Missing amount",
                                                    detail: "amount is required: how much SUSD \(Self.router.checksummed) may spend (or \"unlimited\": true, not advised)")) {
            try await service.prepareApprove(from: Self.me, token: "SUSD", spender: Self.router.checksummed, amount: nil, unlimited: false)
        }
        await #expect(throws: AppError.self) {
            try await service.prepareApprove(from: Self.me, token: "SUSD", spender: "0x123", amount: "1", unlimited: false)
        }
        // Our own contracts are named.
        let ours = try await service.prepareApprove(from: Self.me, token: "SUSD", spender: TestServices.subscriptionContract.checksummed, amount: "1",
                                                    unlimited: false)
        #expect(ours.summary == "Allow SmartSonicSubscription (\(TestServices.subscriptionContract.checksummed)) to spend up to 1 SUSD" && ours.notices == nil)
    }

    @Test func aRevokeIsApproveOfZeroAndNothingToRevokeIsSaid() async throws {
        services.chain.update { $0.allowances[Self.susd] = [Self.me: [Self.router: 7_000_000]] }
        let service = services.app.allowances
        let revoke = try await service.prepareRevoke(from: Self.me, token: "SUSD", spender: Self.router.checksummed)
        #expect(revoke.summary == "Revoke \(Self.router.checksummed)'s allowance of your SUSD (it may spend 7 SUSD now)")
        #expect(revoke.tx.data == "0x095ea7b3" + String(repeating: "0", count: 24) + Self.router.lowercased.dropFirst(2) + String(repeating: "0", count: 64))
        services.chain.update { $0.allowances[Self.susd] = [Self.me: [Self.router: 0]] }
        await #expect(throws: AppError.conflict(summary: "Nothing to revoke",
                                                detail: "\(Self.router.checksummed) may spend none of your SUSD already: there is nothing to revoke")) {
            try await service.prepareRevoke(from: Self.me, token: "SUSD", spender: Self.router.checksummed)
        }
    }
}
