import ArgumentParser
import Ethereum
import Foundation

struct Wallet: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keys and signed messages.", subcommands: [New.self, AddressOf.self, Sign.self, Verify.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a new key pair.")
        @Option(help: "Write the key to this keystore file (scrypt) instead of printing it.") var keystore: String?
        @OptionGroup var password: PasswordOptions

        func run() throws {
            let key = PrivateKey.generate()
            if let keystore {
                let file = try Keystore.encrypt(key, password: try password.read(confirm: true))
                try writeNew(file, to: keystore)
                print("Created new encrypted keystore file: \(keystore)\nAddress: \(key.address)")
            } else {
                // Printing the key is what this command is for; without --keystore it has nowhere else to go.
                print("Successfully created new keypair.\nAddress:     \(key.address)\nPrivate key: \(Hex.encode(key.secret.revealedBytes))")
            }
        }
    }

    struct AddressOf: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "address", abstract: "Print the address of a key.")
        @OptionGroup var signer: SignerOptions

        func run() throws { print(try signer.key().address) }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a message as personal_sign does (EIP-191); 0x-hex is signed as bytes, else as UTF-8 text.")
        @OptionGroup var signer: SignerOptions
        @Argument(help: "The message.") var message: String

        func run() throws {
            print(Hex.encode(PersonalMessage.sign(try messageBytes(message), with: try signer.key()).bytes65))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check that an address signed a message (EIP-191).")
        @Option(help: "The address that should have signed.") var address: String
        @Argument(help: "The message.") var message: String
        @Argument(help: "The signature (65 bytes, or 64 in EIP-2098 form).") var signature: String

        func run() throws {
            let expected = try Address(address)
            let recovered = try PersonalMessage.recover(try messageBytes(message), signature: try Signature(hex: signature))
            guard recovered == expected else {
                throw CommandFailure("Validation failed. Address \(expected) did not sign this message (it was \(recovered)).")
            }
            print("Validation succeeded. Address \(expected) signed this message.")
        }
    }
}

func messageBytes(_ message: String) throws -> [UInt8] {
    message.hasPrefix("0x") ? try Hex.decode(message) : Array(message.utf8)
}

/// Where a signing key comes from.
struct SignerOptions: ParsableArguments {
    @Option(help: "Private key as 0x-hex (stays in shell history: prefer --keystore).") var privateKey: String?
    @Option(help: "Keystore file (Web3 Secret Storage v3).") var keystore: String?
    @OptionGroup var password: PasswordOptions

    func key() throws -> PrivateKey {
        switch (privateKey, keystore) {
        case (let hex?, nil): return try PrivateKey(hex: hex)
        case (nil, let path?):
            guard let file = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read keystore \(path)") }
            return try Keystore.decrypt(json: Array(file), password: try password.read(confirm: false))
        default: throw ValidationError("give exactly one of --private-key and --keystore")
        }
    }
}

/// Where a keystore password comes from: a file, the environment, or the terminal (not echoed).
struct PasswordOptions: ParsableArguments {
    @Option(help: "File whose first line is the keystore password.") var passwordFile: String?

    func read(confirm: Bool) throws -> String {
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else { throw ValidationError("cannot read \(passwordFile)") }
            return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        }
        if let password = ProcessInfo.processInfo.environment["SONIC_KEYSTORE_PASSWORD"] { return password }
        guard isatty(0) == 1 else {
            throw ValidationError("no password: use --password-file or SONIC_KEYSTORE_PASSWORD, or run in a terminal")
        }
        let first = String(cString: getpass("Keystore password: "))
        if confirm {
            guard String(cString: getpass("Repeat the password: ")) == first else { throw ValidationError("the passwords differ") }
        }
        return first
    }
}

/// Writes a file that must not exist yet, readable by its owner only.
func writeNew(_ bytes: [UInt8], to path: String) throws {
    guard !FileManager.default.fileExists(atPath: path) else { throw ValidationError("\(path) exists; not overwriting it") }
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
        throw ValidationError("cannot write \(path)")
    }
}

/// A command that ran and found a negative answer: printed as "Error: …", exit status 1, no usage text.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
