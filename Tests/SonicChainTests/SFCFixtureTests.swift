import Ethereum
import Foundation
import Testing
@testable import SonicChain

/// Our SFC and ConstantsManager bindings against sonic-sfc's source, as extracted once into
/// Tests/Fixtures/sonic-sfc-v4.0.x.json (scripts/sfc-fixture.py): selectors, return tuples in
/// order, event topics with their indexed fields, and custom-error selectors.
struct SFCFixtureTests {
    struct Parameter: Decodable, Equatable { let type: String; let name: String; let indexed: Bool? }
    struct Function: Decodable { let name: String; let signature: String; let selector: String; let outputs: [Parameter] }
    struct Event: Decodable { let signature: String; let topic: String; let inputs: [Parameter] }
    struct Failure: Decodable { let name: String; let signature: String; let selector: String }
    struct Interface: Decodable { let functions: [Function]; let events: [Event]; let errors: [Failure] }
    struct Source: Decodable { let commit: String; let version: String }
    struct File: Decodable {
        let source: Source
        let SFC: Interface
        let ConstantsManager: Interface
    }

    static let fixture: File = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sonic-sfc-v4.0.x.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }()

    static let sfcFunctions = [SFC.delegate, SFC.undelegate, SFC.withdraw, SFC.claimRewards, SFC.restakeRewards, SFC.version,
                               SFC.constsAddress, SFC.currentEpoch, SFC.currentSealedEpoch, SFC.lastValidatorID, SFC.getValidator,
                               SFC.getSelfStake, SFC.getStake, SFC.pendingRewards, SFC.getWithdrawalRequest, SFC.getEpochSnapshot,
                               SFC.getEpochValidatorIDs]
    static let constantsFunctions = [SFCConstants.withdrawalPeriodTime, SFCConstants.withdrawalPeriodEpochs, SFCConstants.maxDelegatedRatio,
                                     SFCConstants.minSelfStake, SFCConstants.validatorCommission, SFCConstants.baseRewardPerSecond]

    static func check(_ binding: ABISignature, against interface: Interface) {
        guard let source = interface.functions.first(where: { $0.signature == binding.canonical }) else {
            Issue.record("\(binding.canonical) is not a function of sonic-sfc \(fixture.source.version)")
            return
        }
        #expect(Hex.encode(binding.selector) == source.selector)
        #expect(binding.outputs.map(\.type.description) == source.outputs.map(\.type), "\(binding.canonical) returns")
        let named = binding.outputs.map(\.name)
        if named.allSatisfy({ !$0.isEmpty }) {
            #expect(named == source.outputs.map(\.name), "\(binding.canonical): tuple order")
        }
    }

    @Test func sfcFunctionsMatchTheSource() {
        for binding in Self.sfcFunctions { Self.check(binding, against: Self.fixture.SFC) }
    }

    @Test func constantsGettersMatchTheSource() {
        for binding in Self.constantsFunctions { Self.check(binding, against: Self.fixture.ConstantsManager) }
    }

    @Test func eventsMatchTheSource() throws {
        for binding in SFC.Event.all {
            let source = try #require(Self.fixture.SFC.events.first { $0.signature == binding.canonical }, "\(binding.canonical)")
            #expect(Hex.encode(binding.topic) == source.topic)
            #expect(binding.inputs.map(\.indexed) == source.inputs.map { $0.indexed ?? false }, "\(binding.canonical): indexed fields")
        }
    }

    @Test func failuresAreTheSourcesCustomErrors() throws {
        for failure in SFC.Failure.allCases {
            let source = try #require(Self.fixture.SFC.errors.first { $0.name == failure.rawValue }, "\(failure.rawValue)")
            #expect(failure.signature.canonical == source.signature)
            #expect(Hex.encode(failure.signature.selector) == source.selector)
            #expect(SFC.Failure(revertData: failure.signature.selector) == failure)
        }
        #expect(SFC.Failure(revertData: [0x08, 0xc3, 0x79, 0xa0]) == nil)
    }

    @Test func failuresReadAsPlainReasons() {
        #expect(SFC.Failure.validatorNotActive.description == "this validator is not active")
        #expect(SFC.Failure.zeroRewards.description.hasPrefix("nothing to claim yet"))
        #expect(SFC.Failure.notEnoughTimePassed.explanation(opening: (time: 1_800_000_000, epoch: 12))
            == "the withdrawal opens on 2027-01-15T08:00:00Z, once epoch 12 has begun")
        #expect(SFC.Failure.zeroAmount.explanation(opening: (time: 1, epoch: 1)) == SFC.Failure.zeroAmount.description)
    }
}
