import Foundation
import Testing
@testable import SonicAgent

@Suite struct IntentTests {
    /// Every label in the shared development set is one of our intents, and no intent is unused.
    @Test func intentsAreTheEvaluationSetsClosedSet() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let devSet = root.deletingLastPathComponent().appendingPathComponent("shared/agent-eval/dev.jsonl")
        let lines = try String(contentsOf: devSet, encoding: .utf8).split(separator: "\n")
        struct Labelled: Decodable { let intent: String }
        let labels = Set(try lines.map { try JSONDecoder().decode(Labelled.self, from: Data($0.utf8)).intent })
        #expect(Set(labels.compactMap(Intent.init(rawValue:))).count == labels.count, "unknown labels: \(labels)")
        #expect(labels == Set(Intent.allCases.map(\.rawValue)))
    }

    @Test func onlyWritesMoveValue() {
        #expect(Intent.sendTransaction.movesValue)
        #expect(!Intent.balanceCheck.movesValue)
        #expect(!Intent.gasPrice.movesValue)
    }
}
