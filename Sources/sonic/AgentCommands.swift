import ArgumentParser
import Foundation
import Ethereum
import SonicAgent

struct Agent: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The agent's understanding, offline.", subcommands: [Parse.self, Converse.self])

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

    struct Converse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run multi-turn conversation scripts through the planner and check each turn.",
            discussion: """
                SCRIPTS is a JSON-lines file, one conversation a line: {"name", "connected"?, "turns": [{"say", "expect"}]} \
                (Tests/Fixtures/agent-conversations.jsonl; ConversationScript.swift describes "expect"). Writes one JSON \
                object a conversation, {"name", "passed", "turns": [{"say", "action", "problem"?}]}, then a summary line \
                {"conversations", "passed", "turns", "turns_passed"}. Exits non-zero when a turn fails.
                """)

        @Argument(help: "The scripts (JSON lines).") var scripts: String

        struct Summary: Encodable {
            let conversations, passed, turns, turnsPassed: Int
            enum CodingKeys: String, CodingKey { case conversations, passed, turns, turnsPassed = "turns_passed" }
        }

        func run() throws {
            let scripts = try ConversationScript.load(try String(contentsOfFile: scripts, encoding: .utf8))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var passed = 0, turns = 0, turnsPassed = 0
            for script in scripts {
                let results = script.run()
                let lines: [JSONValue] = zip(script.turns, results).map { turn, result in
                    var line: [String: JSONValue] = ["say": .string(turn.say), "action": result.action]
                    if let problem = result.problem { line["problem"] = .string(problem) }
                    return .object(line)
                }
                let ok = results.allSatisfy { $0.problem == nil }
                passed += ok ? 1 : 0
                turns += results.count
                turnsPassed += results.filter { $0.problem == nil }.count
                let report: JSONValue = .object(["name": .string(script.name), "passed": .bool(ok), "turns": .array(lines)])
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
            let summary = Summary(conversations: scripts.count, passed: passed, turns: turns, turnsPassed: turnsPassed)
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            if turnsPassed < turns { throw ExitCode(1) }
        }
    }
}
