extension Message {
    /// The verb a request to act opens with, once courtesies and openings are set aside
    /// ("please", "can you", "I'd like to"): "stake" in "can you stake 100 S for me". nil for
    /// questions ("how do I stake?", "can I borrow against S?") and requests for information
    /// ("show my rewards"), which ask for no action.
    func requestVerb(among verbs: Set<String>) -> String? {
        var rest = words[...]
        // The longest opening first: "let me", not "let".
        while let opening = Lexicon.requestOpenings.filter({ rest.starts(with: $0) }).max(by: { $0.count < $1.count }) {
            rest = rest.dropFirst(opening.count)
        }
        guard let first = rest.first, verbs.contains(first) else { return nil }
        return first
    }
}
