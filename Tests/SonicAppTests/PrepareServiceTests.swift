import Ethereum
import Foundation
import SonicChain
import AppTestSupport
import Testing
@testable import SonicApp

/// Transfers and purchases prepared for the wallet: the fee, the simulation, and refusals that
/// name the field and the figures.
@Suite struct PrepareServiceTests {
    @Test func aTransferOfSIsPreviewedWithNonceFeeAndSimulation() async throws {
        let services = try TestServices()
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(10) }
        let prepared = try await services.transactions.prepareTransfer(from: TestServices.alice, to: TestServices.bob, amount: "2.5", token: nil)
        #expect(prepared.summary == "Send 2.5 S to \(TestServices.bob.checksummed)")
        #expect(prepared.tx.nonce == "0x7" && prepared.tx.value == "0x22b1c8c1227a0000" && prepared.tx.chainId == "0x7a69")
        // 21,000 estimated, 20 % margin: 25,200 gas at most 3 gwei.
        #expect(prepared.tx.gas == Hex.quantity(25_200) && prepared.fee.maxWei == "75600000000000")
        // Likely: the estimate at base fee + priority fee (2 gwei).
        #expect(prepared.fee.estimatedWei == "42000000000000")
        #expect(prepared.simulation.success && prepared.simulation.gasEstimate == 21_000)
    }

    @Test func aFailingSimulationIsShownNotThrown() async throws {
        let services = try TestServices()
        services.chain.update {
            $0.balances[TestServices.alice] = TestServices.s(10)
            $0.estimate = .failure(FakeChain.reverted("recipient refuses S"))
        }
        let prepared = try await services.transactions.prepareTransfer(from: TestServices.alice, to: TestServices.bob, amount: "1", token: "S")
        #expect(!prepared.simulation.success && prepared.simulation.reason == "recipient refuses S")
        #expect(prepared.tx.gas == Hex.quantity(21_000))
    }

    @Test func notEnoughForTheAmountOrForTheFeeIsRefusedWithTheFigures() async throws {
        let services = try TestServices()
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(2) }
        await #expect(throws: AppError.insufficientBalance(field: "amount", detail: "not enough S for the amount and the fee: 3 needed, 2 available")) {
            try await services.transactions.prepareTransfer(from: TestServices.alice, to: TestServices.bob, amount: "3", token: nil)
        }
        // Exactly the balance: the amount fits, the fee does not.
        do {
            _ = try await services.transactions.prepareTransfer(from: TestServices.alice, to: TestServices.bob, amount: "2", token: nil)
            Issue.record("the fee cannot be paid")
        } catch {
            #expect(error.field == "amount" && error.detail.hasPrefix("not enough S for the amount and the fee: 2.0000756 needed"))
        }
    }

    @Test func amountsAndTokensAreCheckedBeforeTheNodeIsAsked() async throws {
        let services = try TestServices()
        for (amount, token, field) in [("0", nil, "amount"), ("1.5.2", nil, "amount"), ("0.0000001", "SUSD", "amount"), ("1", "DOGE", "token")] as [(String, String?, String)] {
            do {
                _ = try await services.transactions.prepareTransfer(from: TestServices.alice, to: TestServices.bob, amount: amount, token: token)
                Issue.record("\(amount) \(token ?? "S") must be refused")
            } catch {
                #expect(error.field == field, "\(amount) \(token ?? "S"): \(error)")
            }
        }
    }

    @Test func aTokenTransferNeedsTheTokensAndSForTheFee() async throws {
        let services = try TestServices()
        services.chain.update {
            $0.tokenBalances[TestServices.token] = [TestServices.alice: UInt256(5_000_000)]
            $0.balances[TestServices.alice] = TestServices.s(1)
        }
        let prepared = try await services.transactions.prepareTransfer(from: TestServices.alice, to: TestServices.bob, amount: "4", token: "susd")
        #expect(prepared.summary == "Send 4 SUSD to \(TestServices.bob.checksummed)" && prepared.tx.to == TestServices.token.checksummed)
        #expect(prepared.tx.value == "0x0" && prepared.tx.data.hasPrefix("0xa9059cbb"))
        await #expect(throws: AppError.insufficientBalance(field: "amount", detail: "not enough SUSD: 6 needed, 5 available")) {
            try await services.transactions.prepareTransfer(from: TestServices.alice, to: TestServices.bob, amount: "6", token: "SUSD")
        }
        services.chain.update { $0.balances[TestServices.alice] = .zero }
        do {
            _ = try await services.transactions.prepareTransfer(from: TestServices.alice, to: TestServices.bob, amount: "4", token: "SUSD")
            Issue.record("no S for the fee")
        } catch {
            #expect(error.field == "from" && error.detail.hasPrefix("not enough S for the fee"))
        }
    }

    @Test func aPurchaseCostsPriceTimesMonthsAndIsRefusedWhenPausedOrUnaffordable() async throws {
        let services = try TestServices()
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(10) }
        let prepared = try await services.subscriptions.preparePurchase(from: TestServices.alice, months: 3)
        #expect(prepared.summary == "Buy 3 months of premium for 6 S" && prepared.tx.to == TestServices.subscriptionContract.checksummed)
        #expect(prepared.tx.value == TestServices.s(6).hexQuantity)

        await #expect(throws: AppError.self) { try await services.subscriptions.preparePurchase(from: TestServices.alice, months: 37) }
        do {
            _ = try await services.subscriptions.preparePurchase(from: TestServices.alice, months: 5)
            Issue.record("10 S cannot pay 10 S and the fee")
        } catch {
            #expect(error.field == "months" && error.detail.hasPrefix("not enough S for the price and the fee: 10.0000"))
        }
        services.chain.update { $0.subscription = .init(expiresAt: 0, price: TestServices.s(2), active: false, paused: true) }
        await #expect(throws: AppError.conflict(summary: "Sales paused", detail: "the subscription is paused by its owner; try again later")) {
            try await services.subscriptions.preparePurchase(from: TestServices.alice, months: 1)
        }
    }

    @Test func aSignedTransactionForAnotherChainIsNotBroadcast() async throws {
        let services = try TestServices()
        let key = try PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
        let transaction = Transaction(chainID: 146, nonce: 0, fees: .dynamic(maxPriorityFeePerGas: UInt256(1), maxFeePerGas: UInt256(2)),
                                      gasLimit: 21_000, to: TestServices.bob, value: UInt256(1))
        let signed = try transaction.signed(with: key)
        do {
            _ = try await services.transactions.send(raw: signed.raw)
            Issue.record("a mainnet transaction must not go to the devnet")
        } catch {
            #expect(error.summary == "Wrong chain" && error.detail.contains("signed for chain id 146; this is devnet, chain id 31337"))
        }
        #expect(services.chain.withState { $0.sent.isEmpty })
        // The same for this chain is broadcast and tracked as pending.
        let ours = try Transaction(chainID: 31337, nonce: 0, fees: transaction.fees, gasLimit: 21_000, to: TestServices.bob, value: UInt256(1))
            .signed(with: key)
        let sent = try await services.transactions.send(raw: ours.raw)
        #expect(sent.state == .pending && sent.nonce == 0 && services.chain.withState { $0.sent } == [ours.raw])
        #expect(try await services.transactions.status(sent.hash).status == "pending")
    }

    /// What a broken or hostile node (or a wallet) answers at the edge of the integer types is
    /// an error the person reads, never a trap: an estimate of 2^64 - 1 gas, an expiry past the
    /// year 9999, a nonce beyond SQLite's integers.
    @Test func extremeValuesAreErrorsNotTraps() async throws {
        let services = try TestServices()
        services.chain.update {
            $0.balances[TestServices.alice] = TestServices.s(10)
            $0.estimate = .success(.max)
        }
        await #expect(throws: AppError.badUpstream(summary: "Bad answer from the node", detail: "the Sonic node gave an answer we could not read")) {
            try await services.transactions.prepareTransfer(from: TestServices.alice, to: TestServices.bob, amount: "1", token: nil)
        }
        services.chain.update { $0.subscription = .init(expiresAt: .max, price: UInt256(1), active: true, paused: false) }
        await #expect(throws: AppError.self) { try await services.subscriptions.status(TestServices.alice) }

        let key = try PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
        let far = try Transaction(chainID: 31337, nonce: .max, fees: .dynamic(maxPriorityFeePerGas: UInt256(1), maxFeePerGas: UInt256(2)),
                                  gasLimit: 21_000, to: TestServices.bob, value: UInt256(1)).signed(with: key)
        await #expect(throws: AppError.invalidInput(field: "raw", summary: "Invalid transaction", detail: "raw: nonce 18446744073709551615 is beyond 2^63 - 1")) {
            try await services.transactions.send(raw: far.raw)
        }
        #expect(services.chain.withState { $0.sent.isEmpty })
    }
}
