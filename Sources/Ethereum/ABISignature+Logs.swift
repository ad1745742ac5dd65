extension ABISignature {
    /// A decoded event argument. Indexed arguments of dynamic type are only their hash on chain.
    public struct LogArgument: Hashable, Sendable {
        public let name: String
        public let value: ABIValue
        public let isHashOnly: Bool
    }

    /// Decodes a log of this event: indexed arguments from `topics[1...]`, the rest from `data`.
    /// - Throws: `ABIError` when the topics or data do not fit the event.
    public func decodeLog(topics: [[UInt8]], data: [UInt8]) throws(ABIError) -> [LogArgument] {
        guard topics.first == topic else {
            throw .selectorMismatch(expected: Hex.encode(topic), got: topics.first.map { Hex.encode($0) } ?? "no topic")
        }
        let indexed = inputs.filter(\.indexed)
        guard topics.count == indexed.count + 1 else { throw .countMismatch(expected: indexed.count + 1, got: topics.count) }
        let plain = try ABI.decode(data, as: inputs.filter { !$0.indexed }.map(\.type))
        var topicIndex = 1
        var plainIndex = 0
        var arguments: [LogArgument] = []
        for input in inputs {
            if input.indexed {
                let word = topics[topicIndex]
                topicIndex += 1
                guard word.count == 32 else { throw .truncated(offset: 0, needed: 32) }
                if input.type.isDynamic || isAggregate(input.type) {
                    arguments.append(LogArgument(name: input.name, value: .bytes(word), isHashOnly: true))
                } else {
                    let value = try ABI.decode(word, as: [input.type])[0]
                    arguments.append(LogArgument(name: input.name, value: value, isHashOnly: false))
                }
            } else {
                arguments.append(LogArgument(name: input.name, value: plain[plainIndex], isHashOnly: false))
                plainIndex += 1
            }
        }
        return arguments
    }

    private func isAggregate(_ type: ABIType) -> Bool {
        switch type {
        case .tuple, .fixedArray, .array: true
        default: false
        }
    }
}
