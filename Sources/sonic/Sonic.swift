import ArgumentParser

/// `sonic`: Smart Sonic's command line, in the spirit of Foundry's cast. Output has cast's form
/// where cast has the same command, so scripts can switch; errors go to stderr, exit code 1.
@main
struct Sonic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sonic",
        abstract: "Smart Sonic's command line for operators and developers, in the spirit of Foundry's cast.",
        discussion: """
            Values: amounts in wei unless a unit follows (1.5ether, 20gwei); hex with 0x. \
            Keys: --private-key, or --keystore FILE with the password from --password-file, \
            SONIC_KEYSTORE_PASSWORD or a prompt. Prefer a keystore: a key typed on the command \
            line stays in the shell's history.
            """,
        subcommands: [
            Keccak.self, ToWei.self, FromWei.self, ToChecksum.self, ABIEncode.self, ABIDecode.self, Calldata.self,
            Wallet.self, MakeTransaction.self, DecodeTransaction.self, KeystoreCommand.self,
            ChainID.self, BlockNumber.self, Balance.self, Nonce.self, GasPrice.self, Call.self, Send.self,
            ReceiptCommand.self, TransactionCommand.self, Deploy.self, Agent.self,
        ])
}
