import ArgumentParser
import Ethereum
import Foundation

struct MakeTransaction: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mktx",
        abstract: "Build and sign a transaction; print it raw as 0x-hex (for eth_sendRawTransaction).",
        discussion: "--gas-price makes a legacy (EIP-155) transaction; --max-fee with --priority-fee an EIP-1559 one.")

    @OptionGroup var signer: SignerOptions
    @Option(help: "Chain id (146 mainnet, 14601 testnet, 31337 devnet).") var chainId: UInt64
    @Option(help: "The sender's nonce.") var nonce: UInt64
    @Option(help: "Gas limit.") var gasLimit: UInt64
    @Option(help: "Gas price (legacy).") var gasPrice: String?
    @Option(help: "Fee cap per gas (EIP-1559).") var maxFee: String?
    @Option(help: "Priority fee per gas (EIP-1559).") var priorityFee: String?
    @Option(help: "Value in wei, or with a unit (1.5ether).") var value = "0"
    @Option(help: "Calldata as 0x-hex.") var data = "0x"
    @Argument(help: "Recipient address, or \"create\" to deploy --data as a contract.") var to: String

    func run() throws {
        let fees: Transaction.Fees
        switch (gasPrice, maxFee, priorityFee) {
        case (let price?, nil, nil): fees = .legacy(gasPrice: try parseAmount(price, name: "--gas-price"))
        case (nil, let cap?, let priority?):
            fees = .dynamic(maxPriorityFeePerGas: try parseAmount(priority, name: "--priority-fee"), maxFeePerGas: try parseAmount(cap, name: "--max-fee"))
        default: throw ValidationError("give either --gas-price, or both --max-fee and --priority-fee")
        }
        let transaction = Transaction(
            chainID: chainId, nonce: nonce, fees: fees, gasLimit: gasLimit, to: to == "create" ? nil : try Address(to),
            value: try parseAmount(value, name: "--value"), data: try Hex.decode(data))
        print(Hex.encode(try transaction.signed(with: try signer.key()).raw))
    }
}

struct DecodeTransaction: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode-tx", abstract: "Decode a raw signed transaction; print its fields, sender and hash as JSON.")
    @Argument(help: "The raw transaction as 0x-hex.") var raw: String

    func run() throws {
        let signed = try SignedTransaction.decode(try Hex.decode(raw))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(DecodedTransaction(signed)), as: UTF8.self))
    }
}

/// The JSON form of a transaction, with the field names JSON-RPC uses.
struct DecodedTransaction: Encodable {
    let type: String, chainId: String?, nonce: String, gas: String, to: String?, value: String, input: String
    let gasPrice: String?, maxFeePerGas: String?, maxPriorityFeePerGas: String?
    let accessList: [Entry]?
    let r: String, s: String, yParity: String, v: String, from: String, hash: String

    struct Entry: Encodable { let address: String; let storageKeys: [String] }

    init(_ signed: SignedTransaction) {
        let t = signed.transaction
        type = Hex.quantity(UInt64(t.type))
        chainId = t.chainID.map { Hex.quantity($0) }
        nonce = Hex.quantity(t.nonce)
        gas = Hex.quantity(t.gasLimit)
        to = t.to?.checksummed
        value = t.value.hexQuantity
        input = Hex.encode(t.data)
        switch t.fees {
        case .legacy(let price), .accessList(let price):
            (gasPrice, maxFeePerGas, maxPriorityFeePerGas) = (price.hexQuantity, nil, nil)
        case .dynamic(let priority, let cap):
            (gasPrice, maxFeePerGas, maxPriorityFeePerGas) = (nil, cap.hexQuantity, priority.hexQuantity)
        }
        accessList = t.type == 0 ? nil : t.accessList.map { Entry(address: $0.address.checksummed, storageKeys: $0.storageKeys.map { Hex.encode($0) }) }
        r = Hex.encode(signed.signature.r)
        s = Hex.encode(signed.signature.s)
        yParity = Hex.quantity(UInt64(signed.signature.yParity))
        let legacyV = t.chainID.map { $0 * 2 + 35 } ?? 27
        v = Hex.quantity(t.type == 0 ? legacyV + UInt64(signed.signature.yParity) : UInt64(signed.signature.yParity))
        from = signed.sender.checksummed
        hash = Hex.encode(signed.hash)
    }
}

struct KeystoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keystore", abstract: "Encrypt a key into a keystore file, or decrypt one.", subcommands: [Encrypt.self, Decrypt.self])

    struct Encrypt: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a private key to a new keystore file (scrypt).")
        @Option(help: "The private key as 0x-hex.") var privateKey: String
        @Option(help: "The keystore file to create.") var output: String
        @OptionGroup var password: PasswordOptions

        func run() throws {
            let key = try PrivateKey(hex: privateKey)
            try writeNew(try Keystore.encrypt(key, password: try password.read(confirm: true)), to: output)
            print(key.address)
        }
    }

    struct Decrypt: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the private key held in a keystore file.")
        @Argument(help: "The keystore file.") var file: String
        @OptionGroup var password: PasswordOptions

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let key = try Keystore.decrypt(json: Array(data), password: try password.read(confirm: false))
            print(Hex.encode(key.secret.revealedBytes))  // revealing the key is this command's purpose
        }
    }
}
