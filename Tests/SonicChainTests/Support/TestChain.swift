import Foundation

/// The devnet that `make test` starts for the Swift suites (SONIC_TEST_RPC_URL).
enum TestChain {
    static let rpcURL = ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"]
    static var available: Bool { rpcURL != nil }
    /// A loopback port nothing listens on: connections are refused at once.
    static let deadURL = "http://127.0.0.1:9"
}
