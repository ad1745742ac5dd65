import Foundation
import Testing
@testable import Ethereum

@Suite struct CodableTests {
    struct Record: Codable, Equatable {
        let to: Address
        let hash: Hash32
        let wei: UInt256
    }

    @Test func roundTripsInTheirTextForms() throws {
        let record = Record(to: try Address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
                            hash: try Hash32("0x" + String(repeating: "ab", count: 32)), wei: try UInt256(parsing: "1500000000000000000"))
        let json = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        #expect(json.contains(#""to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8""#))
        #expect(json.contains(#""wei":"1500000000000000000""#))
        #expect(try JSONDecoder().decode(Record.self, from: Data(json.utf8)) == record)
    }

    @Test(arguments: [
        #"{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79c8","hash":"0x\#(String(repeating: "ab", count: 32))","wei":"1"}"#,
        #"{"to":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","hash":"0xab","wei":"1"}"#,
        #"{"to":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","hash":"0x\#(String(repeating: "ab", count: 32))","wei":"1.5"}"#,
    ])
    func refusesWhatIsNotTheValue(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Record.self, from: Data(json.utf8)) }
    }

    /// A million digits is refused by its length, before any conversion.
    @Test func boundsTheTextBeforeConverting() {
        let long = String(repeating: "9", count: 1_000_000)
        #expect(throws: UnitsError.tooLarge(long)) { try UInt256(parsing: long) }
        #expect(throws: UnitsError.tooLarge(long)) { try Units.parse(long, decimals: 18) }
    }

    struct Shaped: Codable, Equatable {
        let name: String
        @OrNull var contract: Address?
    }

    /// An absent `@OrNull` member is written as null, not left out; a missing key or a null
    /// reads back as nil.
    @Test func orNullWritesTheKeyEvenWhenAbsent() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(Shaped(name: "S", contract: nil)), as: UTF8.self) == #"{"contract":null,"name":"S"}"#)
        let token = Shaped(name: "SUSD", contract: try Address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"))
        #expect(String(decoding: try encoder.encode(token), as: UTF8.self)
                == #"{"contract":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","name":"SUSD"}"#)
        #expect(try JSONDecoder().decode(Shaped.self, from: Data(#"{"name":"S"}"#.utf8)) == Shaped(name: "S", contract: nil))
        #expect(try JSONDecoder().decode(Shaped.self, from: Data(#"{"name":"S","contract":null}"#.utf8)) == Shaped(name: "S", contract: nil))
        #expect(try JSONDecoder().decode(Shaped.self, from: try encoder.encode(token)) == token)
    }
}
