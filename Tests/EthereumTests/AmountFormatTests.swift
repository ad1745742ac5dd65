import Foundation
import Testing
@testable import Ethereum

/// How amounts read in sentences and on the dashboard, from the one file of vectors the page
/// scripts' test reads too (Tests/e2e/test_format.py): Tests/Fixtures/amount-format.json.
@Suite struct AmountFormatTests {
    struct Vector: Decodable, CustomTestStringConvertible {
        let amount: String
        let decimals: Int
        let style: String
        /// Where the figure is shown: none for the agent's sentences, "balance" for the dashboard's balances.
        let context: String?
        let text: String
        var testDescription: String { "\(amount) with \(decimals) decimals, \(style)\(context.map { " (\($0))" } ?? "")" }
    }

    struct File: Decodable { let vectors: [Vector] }

    static let vectors: [Vector] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/amount-format.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).vectors
    }()

    @Test(arguments: vectors)
    func readsAsTheVectorSays(vector: Vector) throws {
        let value = try UInt256(parsing: vector.amount)
        let text = switch (vector.style, vector.context) {
        case ("exact", nil): Units.exact(value, decimals: vector.decimals)
        case ("readable", nil): Units.readable(value, decimals: vector.decimals)
        case ("readable", "balance"): Units.balance(value, decimals: vector.decimals)
        default: "unknown style \(vector.style) in context \(vector.context ?? "none")"
        }
        #expect(text == vector.text)
    }

    @Test func everyStyleAndTheCutAreCovered() {
        #expect(Set(Self.vectors.map(\.style)) == ["exact", "readable"])
        #expect(Self.vectors.contains { $0.text.hasSuffix("…") } && Self.vectors.contains { $0.text.contains(",") })
        #expect(Self.vectors.contains { $0.context == "balance" && $0.text == "< 0.0001" })
    }

    @Test func groupingIsByThreesFromTheRight() {
        #expect(["1", "12", "123", "1234", "123456", "1234567"].map(Units.grouping) == ["1", "12", "123", "1,234", "123,456", "1,234,567"])
    }
}
