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
