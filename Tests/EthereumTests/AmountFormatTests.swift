import Foundation
import Testing
@testable import Ethereum

/// How amounts read in sentences, from the one file of vectors the page scripts' tests will
/// read too: Tests/Fixtures/amount-format.json.
@Suite struct AmountFormatTests {
    struct Vector: Decodable, CustomTestStringConvertible {
        let amount: String
        let decimals: Int
        let style: String
        let text: String
        var testDescription: String { "\(amount) with \(decimals) decimals, \(style)" }
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
        let text = switch vector.style {
        case "exact": Units.exact(value, decimals: vector.decimals)
        case "readable": Units.readable(value, decimals: vector.decimals)
        default: "unknown style \(vector.style)"
        }
        #expect(text == vector.text)
    }

    @Test func everyStyleAndTheCutAreCovered() {
        #expect(Set(Self.vectors.map(\.style)) == ["exact", "readable"])
        #expect(Self.vectors.contains { $0.text.hasSuffix("…") } && Self.vectors.contains { $0.text.contains(",") })
    }

    @Test func groupingIsByThreesFromTheRight() {
        #expect(["1", "12", "123", "1234", "123456", "1234567"].map(Units.grouping) == ["1", "12", "123", "1,234", "123,456", "1,234,567"])
    }
}
