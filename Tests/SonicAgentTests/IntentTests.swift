import Foundation
import Testing
@testable import SonicAgent

@Suite struct IntentTests {
    /// Every label in the development set is one of our intents, and no intent is unused.
    @Test func intentsAreTheEvaluationSetsClosedSet() throws {
        let labels = Set(try DevelopmentSet.rows().map(\.intent))
        #expect(Set(labels.compactMap(Intent.init(rawValue:))).count == labels.count, "unknown labels: \(labels)")
        #expect(labels == Set(Intent.allCases.map(\.rawValue)))
    }

    @Test func onlyWritesMoveValue() {
        #expect(Intent.sendTransaction.movesValue)
        #expect(!Intent.balanceCheck.movesValue)
        #expect(!Intent.gasPrice.movesValue)
    }
}
