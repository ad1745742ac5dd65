import ArgumentParser
import Foundation
import SonicApp
import SonicChain
import SonicStore
import SonicSync

struct SonicSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sonic-sync",
        abstract: "Smart Sonic's indexer: follows the chain head and records it in SQLite.",
        discussion: "Reads SONIC_NETWORK, SONIC_RPC_URLS, SONIC_RPC_TIMEOUT and SONIC_DB_PATH (see sonic-fcgi --help).",
        subcommands: [Run.self, Status.self],
        defaultSubcommand: Run.self)

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Follow the chain head until stopped.")

        @Option(help: "Seconds between polls of the head.")
        var interval: Double = 1

        @Flag(help: "Take one step and exit.")
        var once = false

        func run() throws {
            let (settings, follower) = try makeFollower()
            Log.info("sonic-sync: following \(settings.network.name) (chain id \(settings.network.chainID))")
            repeat {
                do {
                    let head = try follower.step()
                    if once { print(head) }
                } catch {
                    Log.warning("sonic-sync: \(error)")
                    if once { throw ExitCode.failure }
                }
                if !once { Thread.sleep(forTimeInterval: interval) }
            } while !once
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the recorded head and when it was seen.")

        func run() throws {
            let settings = try Configuration(environment: ProcessInfo.processInfo.environment)
            let store = try Store(path: settings.databasePath)
            guard let state = try store.syncState(chainID: settings.network.chainID) else {
                print("\(settings.network.name): not synced yet")
                return
            }
            print("\(settings.network.name): head \(state.head) at \(state.updatedAt.ISO8601Format())")
        }
    }
}

func makeFollower() throws -> (Configuration, HeadFollower) {
    let settings = try Configuration(environment: ProcessInfo.processInfo.environment)
    let store = try Store(path: settings.databasePath)
    let client = RPCClient(endpoints: settings.network.rpcURLs,
                           transport: HTTPTransport(totalTimeout: settings.rpcTimeout))
    return (settings, HeadFollower(client: client, store: store, chainID: settings.network.chainID))
}

SonicSyncCommand.main()
