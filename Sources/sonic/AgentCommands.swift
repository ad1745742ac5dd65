import ArgumentParser
import Foundation
import SonicAgent

struct Agent: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The agent's understanding, offline.", subcommands: [Parse.self])

    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read one message per line on stdin; write one JSON object per line: {\"intent\", \"entities\"}.",
            discussion: "Entities are normalised as Tests/Fixtures/agent-labels.md defines them; absent ones are left out.")

        @Option(help: "The connected address (\"my\" refers to it when the agent acts).") var from: String?

        func run() throws {
            let parser = MessageParser()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            while let line = readLine(strippingNewline: true) {
                print(String(decoding: try encoder.encode(parser.parse(line)), as: UTF8.self))
            }
        }
    }
}
