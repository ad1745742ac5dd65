import Foundation
import SonicAgent

/// Messages understood per second by the embedded parser, and the median time per message.
struct AgentBenchmarks {
    let seconds: Double

    static let messages = [
        "what's my balance?", "send 2.5 S to 0x71C7656EC7ab88b098defB751B7401B5f6d8976F", "show my last 10 transactions",
        "is 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060 confirmed?", "mint this picture as an NFT called Sunset",
        "buy three months of premium", "what's gas now?", "swap 10 S for USDC", "where can I stake my S?", "hi",
    ]

    func run(into table: inout BenchTable) {
        let parser = MessageParser()
        var sink = 0
        var index = 0
        let perSecond = measure(seconds: seconds) {
            sink &+= parser.parse(Self.messages[index % Self.messages.count]).intent.rawValue.count
            index += 1
        }
        // The median of single-message timings.
        var samples: [Double] = []
        for round in 0..<2_000 {
            let started = DispatchTime.now().uptimeNanoseconds
            sink &+= parser.parse(Self.messages[round % Self.messages.count]).intent.rawValue.count
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        samples.sort()
        let median = samples[samples.count / 2]
        table.add("agent messages understood (per s)", format(perSecond))
        table.add("agent median time per message (ms)", format(median, decimals: 3), target: "< 0.2", met: median < 0.2)
        if sink == 42 { print("") }
    }
}
