import Ethereum
@testable import SonicAgent

extension Planner {
    /// The actions of a conversation: each line planned with the state the previous left.
    func say(_ lines: [String], connected: Address?) -> [Action] {
        var state = ConversationState()
        return lines.map { line in
            let (_, action, next) = plan(line, connected: connected, state: state)
            state = next
            return action
        }
    }
}
