import Ethereum
import Foundation

/// A multi-turn conversation with the planner and what each turn must produce: the suite of
/// Tests/Fixtures/agent-conversations.jsonl, one script a line, run by the Swift tests and by
/// `sonic agent converse` (which `make eval` reports).
///
/// A line: `{"name", "connected"?, "turns": [{"say", "expect": {"kind", …, "contains"?, "excludes"?}}]}`.
/// `connected` is the person's address (absent: signed out). Each key of `expect` other than
/// `contains` and `excludes` must equal that key of the action's JSON (`Action+JSON.swift`);
/// `contains` lists texts the question or reason must include (case ignored), `excludes` texts
/// it must not.
public struct ConversationScript: Decodable, Sendable {
    public struct Turn: Decodable, Sendable {
        public let say: String
        public let expect: [String: JSONValue]
    }

    public let name: String
    public let connected: String?
    public let turns: [Turn]

    /// The tokens the suite's network knows, as the devnet's: S first.
    public static let tokens = ["S", "WS", "USDC", "SUSD"]

    /// Each turn's action as JSON and what is wrong with it (nil when it is as expected).
    public func run(planner: Planner = Planner(knownTokens: tokens)) -> [(action: JSONValue, problem: String?)] {
        let me = connected.flatMap { try? Address($0) }
        var state = ConversationState()
        var results: [(JSONValue, String?)] = []
        for turn in turns {
            let (_, action, next) = planner.plan(turn.say, connected: me, state: state)
            state = next
            let json = Self.json(action)
            results.append((json, Self.problem(json, turn.expect)))
        }
        return results
    }

    static func json(_ action: Action) -> JSONValue {
        guard let data = try? JSONEncoder().encode(action), let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return .null }
        return value
    }

    static func problem(_ action: JSONValue, _ expect: [String: JSONValue]) -> String? {
        guard case .object(let fields) = action else { return "the action does not encode" }
        let text: String = if case .string(let value)? = fields["text"] { value.lowercased() } else { "" }
        for (key, wanted) in expect.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "contains", "excludes":
                let texts: [String] = if case .array(let items) = wanted { items.compactMap { if case .string(let s) = $0 { s } else { nil } } } else { [] }
                for item in texts where text.contains(item.lowercased()) != (key == "contains") {
                    return key == "contains" ? "the text lacks \"\(item)\"" : "the text has \"\(item)\""
                }
            default:
                let got = fields[key] ?? .null
                if got != wanted && !(Self.string(got)?.lowercased() == Self.string(wanted)?.lowercased() && key != "text" && Self.string(got) != nil) {
                    return "\(key) is \(Self.string(got) ?? "\(got)"), expected \(Self.string(wanted) ?? "\(wanted)")"
                }
            }
        }
        return nil
    }

    static func string(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .integer(let number): number.description
        default: nil
        }
    }

    /// The scripts of a JSON-lines file.
    /// - Throws: `DecodingError` naming the line that is not a script.
    public static func load(_ text: String) throws -> [ConversationScript] {
        try text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { try JSONDecoder().decode(ConversationScript.self, from: Data($0.utf8)) }
    }
}
