import BigInt
import Foundation
import Testing
@testable import Ethereum

@Suite struct JSONWritingTests {
    @Test func writesWhatJSONSerializationReadsBack() throws {
        let value: JSONValue = .object([
            "b": .array([.integer(1), .integer(BigInt(stringLiteral: "123456789012345678901234567890")), .null, .bool(true), .bool(false)]),
            "a": .string("quote \" backslash \\ slash / newline \n tab \t bell \u{07} é 😀"),
            "n": .number(1.5),
        ])
        let text = String(decoding: value.serialized(), as: UTF8.self)
        #expect(text.hasPrefix("{\"a\":\"quote \\\" backslash \\\\ slash / newline \\n tab \\t bell \\u0007 é 😀\",\"b\":[1,"))
        #expect(text.contains("\"123456789012345678901234567890\",null,true,false]"))
        let back = try JSONDecoder().decode(JSONValue.self, from: Data(value.serialized()))
        #expect(back == .object(["a": value.objectMember("a"), "b": .array([.integer(1), .string("123456789012345678901234567890"), .null,
                                                                            .bool(true), .bool(false)]), "n": .number(1.5)]))
    }
}

private extension JSONValue {
    func objectMember(_ key: String) -> JSONValue {
        if case .object(let members) = self { return members[key] ?? .null }
        return .null
    }
}
