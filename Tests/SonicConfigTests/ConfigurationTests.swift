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
        (["SONIC_LLM_PROVIDER": "Gemini"], .invalid(variable: "SONIC_LLM_PROVIDER", value: "Gemini", accepted: "gemini, openai or none")),
        (["SONIC_LLM_PROVIDER": "claude"], .invalid(variable: "SONIC_LLM_PROVIDER", value: "claude", accepted: "gemini, openai or none")),
        (["SONIC_LLM_PROVIDER": "gemini"], .invalid(variable: "SONIC_LLM_API_KEY", value: "", accepted: "a Gemini API key when SONIC_LLM_PROVIDER=gemini")),
    ])
    func badSettingsAreNamed(environment: [String: String], error: ConfigurationError) {
        #expect(throws: error) { try Configuration(environment: environment) }
    }

    /// The language model's provider is one of a closed set, each with its own defaults.
    @Test func theLanguageModelProviderIsAKnownOne() throws {
        #expect(try Configuration(environment: [:]).llmProvider == nil)
        #expect(try Configuration(environment: ["SONIC_LLM_PROVIDER": "none"]).llmProvider == nil)
        let gemini = try Configuration(environment: ["SONIC_LLM_PROVIDER": "gemini", "SONIC_LLM_API_KEY": "k"])
        #expect(gemini.llmProvider == .gemini && gemini.llmURL == "https://generativelanguage.googleapis.com" && gemini.llmModel == "gemini-2.5-flash")
        let openai = try Configuration(environment: ["SONIC_LLM_PROVIDER": "openai"])
        #expect(openai.llmProvider == .openai && openai.llmURL == "https://api.openai.com/v1" && openai.llmModel == "gpt-4o-mini")
    }
}
