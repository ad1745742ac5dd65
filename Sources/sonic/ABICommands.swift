import ArgumentParser
import Ethereum

struct ABIEncode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "abi-encode", abstract: "ABI-encode arguments (without a selector).")
    @Argument(help: "Signature, e.g. \"transfer(address,uint256)\".") var signature: String
    @Argument(help: "Arguments: numbers, addresses, 0x-bytes, true/false, [a,b], (a,b).") var arguments: [String] = []

    func run() throws {
        let function = try ABISignature(parsing: signature)
        print(Hex.encode(try ABI.encode(try parseArguments(arguments, for: function), as: function.inputs.map(\.type))))
    }
}

struct Calldata: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Calldata for a call: the selector and the encoded arguments.")
    @Argument(help: "Signature, e.g. \"transfer(address,uint256)\".") var signature: String
    @Argument(help: "Arguments.") var arguments: [String] = []

    func run() throws {
        let function = try ABISignature(parsing: signature)
        print(Hex.encode(try function.calldata(try parseArguments(arguments, for: function))))
    }
}

struct ABIDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abi-decode",
        abstract: "Decode ABI data: a function's outputs, or with --input its arguments. One value per line.")
    @Argument(help: "Signature with outputs, e.g. \"balanceOf(address)(uint256)\".") var signature: String
    @Argument(help: "The 0x-hex data.") var data: String
    @Flag(name: [.short, .long], help: "Decode calldata (selector and arguments) instead of outputs.") var input = false

    func run() throws {
        let function = try ABISignature(parsing: signature)
        let bytes = try Hex.decode(data)
        let values = input ? try function.decodeCalldata(bytes) : try function.decodeOutput(bytes)
        for value in values { print(value.text) }
    }
}

func parseArguments(_ arguments: [String], for function: ABISignature) throws -> [ABIValue] {
    guard arguments.count == function.inputs.count else {
        throw ValidationError("\(function.canonical) takes \(function.inputs.count) arguments, got \(arguments.count)")
    }
    return try zip(arguments, function.inputs).map { try ABIValue(parsing: $0, as: $1.type) }
}
