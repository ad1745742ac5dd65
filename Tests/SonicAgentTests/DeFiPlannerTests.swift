import Ethereum
import Testing
@testable import SonicAgent

/// DeFi requests become typed actions; what is missing or ambiguous is asked for, and the
/// answer completes the request. Lending, liquidity and bridging are answered honestly.
@Suite struct DeFiPlannerTests {
    let planner = Planner(knownTokens: ["S", "WS", "USDC", "SUSD"])
    static let me = PlannerTests.me
    static let router = "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec"

    static func amount(_ text: String) -> DeFiAmount { .exactly(try! DecimalAmount(text)) }
    func say(_ lines: String...) -> [Action] { planner.say(lines, connected: Self.me) }

    @Test func stakingActionsAreTyped() {
        #expect(say("stake 100 S with validator 3") == [.defi(.stake(validator: 3, amount: Self.amount("100")))])
        #expect(say("could you delegate 1,500.50 sonic to the 2nd validator?") == [.defi(.stake(validator: 2, amount: Self.amount("1500.5")))])
        #expect(say("stake all my S with val 4") == [.defi(.stake(validator: 4, amount: .share(.all)))])
        #expect(say("unstake 50 S from validator 3") == [.defi(.unstake(validator: 3, amount: Self.amount("50")))])
        #expect(say("undelegate half my stake from validator #6") == [.defi(.unstake(validator: 6, amount: .share(.fraction(numerator: 1, denominator: 2))))])
        #expect(say("withdraw my unstaked S") == [.defi(.withdraw(validator: nil, request: nil))])
        #expect(say("withdraw request 2 from validator 5") == [.defi(.withdraw(validator: 5, request: 2))])
        #expect(say("claim my rewards") == [.defi(.claimRewards(validator: nil))])
        #expect(say("harvest the rewards from validator 11") == [.defi(.claimRewards(validator: 11))])
        #expect(say("restake whatever I earned with validator #7") == [.defi(.restake(validator: 7))])
        #expect(say("how much am I staking and what have I earned", "show my delegations") == [.defi(.stakingPositions), .defi(.stakingPositions)])
    }

    @Test func wrappingSwapsAndQuotesAreTyped() {
        #expect(say("wrap 10 S") == [.defi(.wrap(amount: Self.amount("10")))])
        #expect(say("unwrap all my wS") == [.defi(.unwrap(amount: .share(.all)))])
        #expect(say("swap 5 S for wS") == [.defi(.wrap(amount: Self.amount("5")))])
        #expect(say("swap 5 S for SUSD") == [.defi(.swap(amountIn: Self.amount("5"), tokenIn: .native, tokenOut: .symbol("SUSD"), slippage: nil))])
        let slippage = Slippage(percent: try! DecimalAmount("1"))
        #expect(say("swap 2.5 USDC to S with 1% slippage") == [.defi(.swap(amountIn: Self.amount("2.5"), tokenIn: .symbol("USDC"), tokenOut: .native, slippage: slippage))])
        #expect(say("what would 100 SUSD get me in S") == [.defi(.quote(amountIn: Self.amount("100"), tokenIn: .symbol("SUSD"), tokenOut: .native))])
        #expect(say("how much USDC do I get for 20 S?") == [.defi(.quote(amountIn: Self.amount("20"), tokenIn: .native, tokenOut: .symbol("USDC")))])
    }

    @Test func slippageIsKeptExactlyAndBounded() throws {
        #expect(Slippage(percent: try DecimalAmount("0.5"))?.basisPoints == 50)
        #expect(Slippage(percent: try DecimalAmount("0.05"))?.percent == "0.05%")
        #expect(Slippage(percent: try DecimalAmount("2"))?.percent == "2%")
        #expect(Slippage(percent: try DecimalAmount("0.001")) == nil)
        #expect(Slippage(percent: try DecimalAmount("60")) == nil)
        guard case .clarify(let question) = say("swap 5 S for USDC with 75% slippage").first else { Issue.record("75% was not asked about"); return }
        #expect(question.contains("between 0.01% and 50%"))
    }

    @Test func approvalsAreTyped() throws {
        #expect(say("show my approvals", "which contracts can spend my USDC?") == [.defi(.showApprovals(token: nil)), .defi(.showApprovals(token: .symbol("USDC")))])
        #expect(say("revoke SUSD for the router") == [.defi(.revoke(token: .symbol("SUSD"), spender: .named("router")))])
        #expect(say("revoke the USDC approval for the Shadow router") == [.defi(.revoke(token: .symbol("USDC"), spender: .named("Shadow router")))])
        #expect(say("revoke my SUSD allowance for \(Self.router)") == [.defi(.revoke(token: .symbol("SUSD"), spender: .address(try Address(Self.router))))])
    }

    @Test func aMissingValidatorIsAskedForAndTheAnswerCompletesTheStake() {
        let actions = say("stake 100 S", "validator 3")
        #expect(actions.first == .clarify(question: "Which validator should I stake 100 S with? Say its number, for example \"validator 3\"."))
        #expect(actions.last == .defi(.stake(validator: 3, amount: Self.amount("100"))))
        #expect(say("unstake 20 S", "the 4th one").last == .defi(.unstake(validator: 4, amount: Self.amount("20"))))
        #expect(say("stake some S", "validator 8 with 40 S").last == .defi(.stake(validator: 8, amount: Self.amount("40"))))
    }

    @Test func aMissingAmountIsAskedForAndTheAnswerCompletesIt() {
        #expect(say("stake with validator 5", "250").last == .defi(.stake(validator: 5, amount: Self.amount("250"))))
        #expect(say("unstake from validator 2", "all of it").last == .defi(.unstake(validator: 2, amount: .share(.all))))
        #expect(say("wrap some S", "12.5").last == .defi(.wrap(amount: Self.amount("12.5"))))
        let swap = say("swap S for USDC", "3")
        #expect(swap.first == .clarify(question: "How much S should I swap for USDC? Say an amount, or \"all\"."))
        #expect(swap.last == .defi(.swap(amountIn: Self.amount("3"), tokenIn: .native, tokenOut: .symbol("USDC"), slippage: nil)))
    }

    @Test func aMissingTokenIsAskedForAndTheAnswerCompletesIt() {
        let swap = say("swap 5 S", "SUSD")
        #expect(swap.first == .clarify(question: "Swap 5 S for which token?"))
        #expect(swap.last == .defi(.swap(amountIn: Self.amount("5"), tokenIn: .native, tokenOut: .symbol("SUSD"), slippage: nil)))
        #expect(say("revoke the router's allowance", "USDC").last == .defi(.revoke(token: .symbol("USDC"), spender: .named("router"))))
        guard case .clarify(let same) = say("swap 5 S", "S").last else { Issue.record("a swap of S for S was not asked about"); return }
        #expect(same.contains("for itself"))
    }

    @Test func ambiguousDetailsAreAskedAboutNeverPicked() {
        let actions = say("stake 10 S with validator 3 or validator 5", "5")
        #expect(actions.first == .clarify(question: "Which validator: 3 or 5? I stake with one validator at a time; say its number."))
        #expect(actions.last == .defi(.stake(validator: 5, amount: Self.amount("10"))))
        guard case .clarify(let token) = say("stake 10 wS with validator 3").first else { Issue.record("staking wS was not asked about"); return }
        #expect(token.contains("Unwrap it first"))
        guard case .clarify(let currency) = say("stake $50 with validator 3").first else { Issue.record("a dollar amount was not asked about"); return }
        #expect(currency.contains("no price"))
    }

    @Test func aNewRequestOrCancelDropsTheQuestion() {
        #expect(say("stake 100 S", "cancel", "3").last != .defi(.stake(validator: 3, amount: Self.amount("100"))))
        #expect(say("stake 100 S", "swap 5 S for USDC").last == .defi(.swap(amountIn: Self.amount("5"), tokenIn: .native, tokenOut: .symbol("USDC"), slippage: nil)))
        // A question in between keeps it: the answer still completes the stake.
        #expect(say("stake 100 S", "which validators are active?", "validator 2").last == .defi(.stake(validator: 2, amount: Self.amount("100"))))
    }

    @Test func aValidatorIsNamedByItsIdNotAnAddress() {
        let actions = say("stake 100 S with validator \(Self.router)", "7")
        #expect(actions.first == .clarify(question: "Validators are named by their id number, not by an address. Which validator id should I stake 100 S with?"))
        #expect(actions.last == .defi(.stake(validator: 7, amount: Self.amount("100"))))
    }

    @Test func aReadInBetweenKeepsTheQuestionAndAChangeAmendsTheLastRequest() {
        #expect(say("stake 100 S", "what's my balance?", "validator 3").last == .defi(.stake(validator: 3, amount: Self.amount("100"))))
        #expect(say("swap 5 S for USDC", "make that 10").last == .defi(.swap(amountIn: Self.amount("10"), tokenIn: .native, tokenOut: .symbol("USDC"), slippage: nil)))
        #expect(say("stake 5 S with validator 2", "actually validator 6").last == .defi(.stake(validator: 6, amount: Self.amount("5"))))
        // A transfer since then is what "make that" changes.
        guard case .clarify = say("stake 5 S with validator 2", "send 1 S", "make that 3").last else { Issue.record("the transfer was not the one changed"); return }
    }

    @Test func sharesAndExactOutputsAreReadAsSuch() {
        #expect(say("unstake all from validator 4") == [.defi(.unstake(validator: 4, amount: .share(.all)))])
        #expect(say("stake half with validator 2") == [.defi(.stake(validator: 2, amount: .share(.fraction(numerator: 1, denominator: 2))))])
        let buy = say("buy 100 USDC with S", "20")
        #expect(buy.first == .clarify(question: "You asked for 100 USDC: I swap an amount you give, not one you get. How much S should I swap for USDC? Say an amount, or \"all\"."))
        #expect(buy.last == .defi(.swap(amountIn: Self.amount("20"), tokenIn: .native, tokenOut: .symbol("USDC"), slippage: nil)))
        #expect(say("delgate 20 S to validtor 4") == [.defi(.stake(validator: 4, amount: Self.amount("20")))])
    }

    @Test(arguments: [
        ("lend 200 USDC on silo", "lend 200 USDC", "lending market"), ("borrow 50 USDC against my S", "borrow 50 USDC", "health factor"),
        ("add liquidity to the S/USDC pool", "add liquidity with S", "pool's router"), ("withdraw my USDC from aave", "withdraw USDC", "lending market"),
    ])
    func whatWeDoNotDoIsAnsweredHonestly(text: String, understood: String, needs: String) {
        guard case .refuse(let reason) = say(text).first else { Issue.record("\(text) was not declined"); return }
        #expect(reason.hasPrefix("I understood: \(understood). "), "\(reason)")
        #expect(reason.contains("not supported yet") && reason.contains(needs) && reason.hasSuffix("Nothing was prepared."), "\(reason)")
    }

    @Test func anAllowanceComesOnlyWithTheSwapThatNeedsIt() {
        guard case .refuse(let reason) = say("approve 100 USDC for the router").first else { Issue.record("a bare approval was prepared"); return }
        #expect(reason.contains("only together with the swap") && reason.hasSuffix("Nothing was prepared."))
    }

    @Test func bridgingIsAnsweredHonestly() {
        #expect(say("bridge 100 USDC from ethereum to sonic") == [.refuse(reason: Planner.bridging)])
    }

    @Test func theRequestIsSaidBack() {
        #expect(DeFiRequest.stake(validator: 3, amount: Self.amount("1500")).summary(nativeSymbol: "S") == "stake 1,500 S with validator 3")
        #expect(DeFiRequest.swap(amountIn: Self.amount("5"), tokenIn: .native, tokenOut: .symbol("SUSD"), slippage: Slippage(percent: try! DecimalAmount("0.5")))
            .summary(nativeSymbol: "S") == "swap 5 S for SUSD with at most 0.5% slippage")
        #expect(DeFiRequest.revoke(token: .symbol("USDC"), spender: nil).summary(nativeSymbol: "S") == "revoke your USDC allowance for every spender")
    }
}
