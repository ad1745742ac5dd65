import Foundation
import Logging
import Testing
@testable import SonicConfig

@Suite struct LineLogHandlerTests {
    /// The log keeps the line format operators grep for: time, level, message, then metadata.
    @Test func oneLinePerEvent() {
        let event = LogEvent(level: .warning, message: "sonic-sync: node down", metadata: ["attempt": "3", "rpc": "devnet"],
                             source: "test", file: #fileID, function: #function, line: #line)
        let line = LineLogHandler.line(event, metadata: ["rpc": "mainnet"], now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(line == "2027-01-15T08:00:00Z warning sonic-sync: node down attempt=3 rpc=devnet\n")
    }
}

/// What logs and answers may say of a URL: scheme and host, never a key in its path, query or
/// credentials.
@Suite struct RedactionTests {
    @Test(arguments: [
        ("http://127.0.0.1:8545/v1/SECRETKEY", "http://127.0.0.1:8545"),
        ("https://user:SECRET@rpc.example/path?key=SECRET#x", "https://rpc.example"),
        ("eth_call to https://sonic.example/KEY failed: reset", "eth_call to https://sonic.example failed: reset"),
        ("two: http://a.example/K1,https://b.example/K2 done", "two: http://a.example,https://b.example done"),
        ("\"https://q.example/k\" and (http://r.example:1/k)", "\"https://q.example\" and (http://r.example:1)"),
        ("no url here: ratio 3:// nothing", "no url here: ratio 3:// nothing"),
        ("://bare", "://bare"),
        ("", ""),
        ("https://", "https://"),
    ])
    func urlsAreReducedToSchemeAndHost(text: String, expected: String) {
        #expect(Redaction.reducingURLs(in: text) == expected)
    }

    @Test func aLogLineNeverCarriesAKeyedURL() {
        let event = LogEvent(level: .warning, message: "health: eth_chainId to http://127.0.0.1:9/v1/SECRETKEY failed", metadata: ["url": "https://x.example/SECRET"],
                             source: "test", file: #fileID, function: #function, line: #line)
        let line = LineLogHandler.line(event, metadata: [:], now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(line == "2027-01-15T08:00:00Z warning health: eth_chainId to http://127.0.0.1:9 failed url=https://x.example\n")
    }
}
