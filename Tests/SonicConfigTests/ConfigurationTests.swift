import Foundation
import Testing
@testable import SonicConfig

@Suite struct ConfigurationTests {
    @Test func defaultsRunTheLocalDevnet() throws {
        let settings = try Configuration(environment: [:])
        #expect(settings.network.name == "devnet")
        #expect(settings.network.rpcURLs == ["http://127.0.0.1:8545"])
        #expect(settings.databasePath == "var/sonic.sqlite")
        #expect(settings.fastCGIListen == "127.0.0.1:9146")
        // Requests handled at once: a few per core (idle kept connections hold no thread).
        #expect(settings.fastCGIThreads == 8 * ProcessInfo.processInfo.activeProcessorCount)
        #expect(try Configuration(environment: ["SONIC_FCGI_THREADS": "8"]).fastCGIThreads == 8)
    }

    @Test func testnetWithOwnRPCURLs() throws {
        let settings = try Configuration(environment: [
            "SONIC_NETWORK": "testnet", "SONIC_RPC_URLS": "https://a.example/rpc, https://b.example/rpc",
        ])
        #expect(settings.network.chainID == 14601)
        #expect(settings.network.rpcURLs == ["https://a.example/rpc", "https://b.example/rpc"])
    }

    @Test(arguments: [
        (["SONIC_NETWORK": "blaze"], ConfigurationError.invalid(variable: "SONIC_NETWORK", value: "blaze", accepted: "devnet, testnet or mainnet")),
        (["SONIC_RPC_URLS": "ftp://x"], .invalid(variable: "SONIC_RPC_URLS", value: "ftp://x", accepted: "http:// or https:// URLs, comma-separated")),
        (["SONIC_FCGI_THREADS": "2.5"], .invalid(variable: "SONIC_FCGI_THREADS", value: "2.5", accepted: "a whole number from 1 to 1024")),
        (["SONIC_FCGI_THREADS": "0"], .invalid(variable: "SONIC_FCGI_THREADS", value: "0", accepted: "a whole number from 1 to 1024")),
        (["SONIC_RPC_TIMEOUT": "soon"], .invalid(variable: "SONIC_RPC_TIMEOUT", value: "soon", accepted: "a number of seconds from 0.1 to 120.0")),
    ])
    func badSettingsAreNamed(environment: [String: String], error: ConfigurationError) {
        #expect(throws: error) { try Configuration(environment: environment) }
    }
}
