import ArgumentParser
import Ethereum

struct Keccak: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keccak-256 of data: 0x-hex is hashed as bytes, anything else as UTF-8 text.")
    @Argument(help: "The data to hash.") var data: String

    func run() throws {
        let bytes = data.hasPrefix("0x") ? try Hex.decode(data) : Array(data.utf8)
        print(Hex.encode(Keccak256.hash(bytes)))
    }
}

struct ToWei: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "to-wei", abstract: "Convert an amount to wei (exactly).")
    @Argument(help: "A decimal amount, e.g. 1.5") var amount: String
    @Argument(help: "Unit of the amount: ether (default), gwei, wei, … or a number of decimals.") var unit = "ether"

    func run() throws {
        print(try Units.parse(amount, decimals: try decimals(unit)))
    }
}

struct FromWei: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "from-wei", abstract: "Convert wei to a unit, with all its decimals as cast prints them.")
    @Argument(help: "An amount in wei (decimal or 0x-hex).") var wei: String
    @Argument(help: "Unit to convert to: ether (default), gwei, … or a number of decimals.") var unit = "ether"

    func run() throws {
        print(Units.formatFixed(try UInt256(parsing: wei), decimals: try decimals(unit)))
    }
}

struct ToChecksum: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "to-checksum", abstract: "Print an address in EIP-55 checksummed form.")
    @Argument(help: "The address.") var address: String

    func run() throws { print(try Address(address).checksummed) }
}

func decimals(_ unit: String) throws -> Int {
    guard let decimals = Units.decimals(of: unit) else {
        throw ValidationError("unit \"\(unit)\" is not known: use ether, gwei, wei, or a number of decimals from 0 to 77")
    }
    return decimals
}

/// `123`, `0x7b`, or a decimal with a unit: `1.5ether`, `20gwei`.
func parseAmount(_ text: String, name: String) throws -> UInt256 {
    if let split = text.firstIndex(where: { $0.isLetter && !(text.hasPrefix("0x") || text.hasPrefix("0X")) }) {
        let unit = String(text[split...])
        guard let places = Units.decimals(of: unit), Int(unit) == nil else { throw ValidationError("\(name): unit \"\(unit)\" is not known") }
        do { return try Units.parse(String(text[..<split]), decimals: places) } catch { throw ValidationError("\(name): \(error)") }
    }
    do { return try UInt256(parsing: text) } catch { throw ValidationError("\(name): \(error)") }
}
