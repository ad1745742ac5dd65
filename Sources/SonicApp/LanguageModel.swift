import BigInt
import Ethereum
import Foundation
import SonicAgent
import SonicChain
import SonicConfig

/// An optional language model that helps with messages the embedded parser cannot place: it is
/// offered one function per thing the agent can do and answers with a call (or, for an open
/// question, text). Off unless configured; its calls are checked and planned like parsed messages.
protocol LanguageModel: Sendable {
    var name: String { get }
    func interpret(_ message: String) async throws(LanguageModelError) -> ModelAnswer
}

/// The language model `configuration` names, or nil when none is configured.
func makeLanguageModel(for configuration: Configuration, transport: any HTTPClient) -> (any LanguageModel)? {
    guard let provider = configuration.llmProvider else { return nil }
    switch provider {
    case .gemini:
        // Configuration refuses Gemini without a key.
        guard let key = configuration.llmAPIKey else { return nil }
        return GeminiModel(baseURL: configuration.llmURL, model: configuration.llmModel, apiKey: key, transport: transport)
    case .openai:
        return OpenAICompatibleModel(baseURL: configuration.llmURL, model: configuration.llmModel, apiKey: configuration.llmAPIKey, transport: transport)
    }
}

enum ModelAnswer: Equatable {
    case call(name: String, arguments: [String: JSONValue])
    case text(String)
}

enum LanguageModelError: Error, Sendable, CustomStringConvertible {
    case unreachable(String)
    case refused(status: Int)
    case invalidAnswer
    /// The caller's daily allowance of model calls is used up: the request is refused with this.
    case allowanceUsedUp(AppError)

    var description: String {
        switch self {
        case .allowanceUsedUp(let refusal): refusal.detail
        case .unreachable(let why): "the language model could not be reached: \(why)"
        case .refused(let status): "the language model refused (HTTP \(status))"
        case .invalidAnswer: "the language model's answer is not in its documented shape"
        }
    }
}

/// The functions offered to a model, as JSON Schema, and what a call of each means.
enum AgentTools {
    static let system = """
        You route requests for Smart Sonic, a wallet assistant on the Sonic network (native coin S, 18 decimals). \
        Call exactly one function that matches the request. Use only addresses and transaction hashes written in \
        the user's message; never invent one, and leave out anything the user did not say. "My" means the user's \
        connected address: leave the address out for it. If no function fits, answer briefly in plain text.
        """

    /// (name, description, properties, required)
    static let functions: [(String, String, [String: JSONValue], [String])] = [
        ("check_balance", "The S or token balance of an address.", ["address": string("0x address; omit for the user's own"), "token": string("token symbol, e.g. S, USDC")], []),
        ("send_tokens", "Prepare a transfer for the user's wallet to sign.", ["to": string("recipient 0x address from the message"), "amount": string("decimal amount, e.g. 2.5"), "token": string("token symbol; S when unsaid")], ["to", "amount"]),
        ("show_history", "The latest transactions of an address.", ["address": string("0x address; omit for the user's own"), "limit": integer("how many, 1 to 100")], []),
        ("transaction_status", "Whether a transaction is confirmed.", ["tx_hash": string("0x and 64 hex digits, from the message")], ["tx_hash"]),
        ("subscription_status", "Whether the user's premium subscription is active.", [:], []),
        ("buy_subscription", "Prepare a premium purchase for the user's wallet.", ["months": integer("1 to 36")], ["months"]),
        ("gas_price", "The current gas price and what a transfer costs.", [:], []),
        ("create_nft", "Mint a picture as an NFT.", ["name": string("the NFT's name"), "description": string("its description")], []),
        ("swap_tokens", "Swap one token for another.", ["token_in": string("symbol sold"), "token_out": string("symbol bought"), "amount": string("decimal amount")], []),
        ("defi_question", "Staking, lending, liquidity or yield: a question, or a request to do one of the actions.",
         ["action": choice("only when asked to do it", DeFiAction.allCases.map(\.rawValue)), "amount": string("decimal amount"),
          "token": string("token symbol"), "validator": integer("validator id")], []),
        ("token_approvals", "The token allowances the user has given, or revoking one.",
         ["action": choice("only when asked to revoke", ApprovalAction.allCases.map(\.rawValue)), "token": string("token symbol")], []),
        ("general_question", "A question about Sonic, fees, wallets or this assistant.", ["query": string("the question")], ["query"]),
    ]

    static func string(_ description: String) -> JSONValue { .object(["type": .string("string"), "description": .string(description)]) }
    static func choice(_ description: String, _ values: [String]) -> JSONValue {
        .object(["type": .string("string"), "description": .string(description), "enum": .array(values.map(JSONValue.string))])
    }
    static func integer(_ description: String) -> JSONValue { .object(["type": .string("integer"), "description": .string(description)]) }

    static func schema(_ properties: [String: JSONValue], _ required: [String]) -> JSONValue {
        var object: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
        if !required.isEmpty { object["required"] = .array(required.map { .string($0) }) }
        return .object(object)
    }

    /// A model's call as a parsed message, checked as strictly as the parser's own output:
    /// addresses and hashes must be written in `text`; amounts and counts must be numbers the
    /// parser reads in `text` itself (digits, number words, fractions: the model proposes, the
    /// text decides), counts in range. nil for an unknown function.
    static func parsed(_ name: String, _ arguments: [String: JSONValue], text: String) -> ParsedMessage? {
        let lower = text.lowercased()
        let read = MessageParser().numbers(in: text)
        func string(_ key: String) -> String? {
            guard case .string(let value)? = arguments[key] else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        func number(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            let count: Int? = switch arguments[key] {
            case .integer(let value)?: Int(exactly: value)
            case .string(let value)?: Int(value)
            default: nil
            }
            return count.flatMap { range.contains($0) && read.contains(String($0)) ? $0 : nil }
        }
        func written(_ key: String, length: Int) -> String? {
            guard let value = string(key)?.lowercased(), value.count == length, value.hasPrefix("0x"), lower.contains(value) else { return nil }
            return value
        }
        func amount(_ key: String) -> String? {
            guard let value = string(key), (try? Units.parse(value, decimals: 18)) != nil,
                  MessageParser.reads(value, among: read) else { return nil }
            return value
        }
        func token(_ key: String) -> String? {
            string(key).map { $0.uppercased().replacingOccurrences(of: "$", with: "") }.flatMap { $0.isEmpty || $0.count > 10 ? nil : $0 }
        }
        var entities = Entities()
        let intent: Intent
        switch name {
        case "check_balance": intent = .balanceCheck; entities.address = written("address", length: 42); entities.token = token("token")
        case "send_tokens": intent = .sendTransaction; entities.to = written("to", length: 42); entities.amount = amount("amount"); entities.token = token("token") ?? "S"
        case "show_history": intent = .transactionHistory; entities.address = written("address", length: 42); entities.limit = number("limit", 1...100)
        case "transaction_status": intent = .transactionStatus; entities.txHash = written("tx_hash", length: 66)
        case "subscription_status": intent = .subscriptionStatus
        case "buy_subscription": intent = .subscriptionPurchase; entities.months = number("months", 1...36)
        case "gas_price": intent = .gasPrice
        case "create_nft": intent = .nftCreation; entities.name = string("name").map { String($0.prefix(100)) }; entities.description = string("description").map { String($0.prefix(1_000)) }
        case "swap_tokens": intent = .swap; entities.tokenIn = token("token_in"); entities.tokenOut = token("token_out"); entities.amount = amount("amount")
        case "defi_question":
            intent = .defiQuery
            // Details only with an action: a question carries none (the labels' rule).
            if let action = string("action").flatMap(DeFiAction.init(rawValue:)) {
                entities.action = .defi(action)
                entities.amount = amount("amount")
                entities.token = token("token") ?? ([.stake, .unstake, .withdraw].contains(action) ? "S" : nil)
                entities.validator = number("validator", 0...1_000_000)
            }
        case "token_approvals":
            intent = .tokenApproval
            entities.action = string("action").flatMap(ApprovalAction.init(rawValue:)).map(RequestedAction.approval)
            entities.token = token("token")
        case "general_question": intent = .generalQuery
        default: return nil
        }
        return ParsedMessage(intent: intent, entities: entities)
    }
}

/// Google Gemini: `POST /v1beta/models/{model}:generateContent` with function declarations,
/// the key in `x-goog-api-key`. See https://ai.google.dev/api/generate-content
struct GeminiModel: LanguageModel {
    let baseURL: String
    let model: String
    let apiKey: Secret
    let transport: any HTTPClient
    var name: String { "Gemini" }

    func interpret(_ message: String) async throws(LanguageModelError) -> ModelAnswer {
        let declarations: [JSONValue] = AgentTools.functions.map { name, description, properties, required in
            var declaration: [String: JSONValue] = ["name": .string(name), "description": .string(description)]
            if !properties.isEmpty { declaration["parameters"] = AgentTools.schema(properties, required) }
            return .object(declaration)
        }
        let body: JSONValue = .object([
            "systemInstruction": .object(["parts": .array([.object(["text": .string(AgentTools.system)])])]),
            "contents": .array([.object(["role": .string("user"), "parts": .array([.object(["text": .string(message)])])])]),
            "tools": .array([.object(["functionDeclarations": .array(declarations)])]),
            "toolConfig": .object(["functionCallingConfig": .object(["mode": .string("AUTO")])]),
        ])
        let key = "x-goog-api-key: " + String(decoding: apiKey.revealedBytes, as: UTF8.self)
        let answer = try await post(transport, "\(baseURL)/v1beta/models/\(model):generateContent", body, headers: [key])
        guard case .array(let candidates)? = answer["candidates"], case .object(let first)? = candidates.first,
              case .object(let content)? = first["content"], case .array(let parts)? = content["parts"] else { throw .invalidAnswer }
        for case .object(let part) in parts {
            if case .object(let call)? = part["functionCall"], case .string(let name)? = call["name"] {
                guard case .object(let arguments)? = call["args"] ?? .object([:]) else { throw .invalidAnswer }
                return .call(name: name, arguments: arguments)
            }
        }
        let text = parts.compactMap { part -> String? in
            guard case .object(let fields) = part, case .string(let text)? = fields["text"] else { return nil }
            return text
        }.joined()
        guard !text.isEmpty else { throw .invalidAnswer }
        return .text(text)
    }
}

/// Any OpenAI-compatible chat-completions endpoint with tools (OpenAI, llama.cpp's server,
/// Ollama): `POST {base}/chat/completions`, bearer key when given.
/// See https://platform.openai.com/docs/api-reference/chat/create
struct OpenAICompatibleModel: LanguageModel {
    let baseURL: String
    let model: String
    let apiKey: Secret?
    let transport: any HTTPClient
    var name: String { "the OpenAI-compatible model" }

    func interpret(_ message: String) async throws(LanguageModelError) -> ModelAnswer {
        let tools: [JSONValue] = AgentTools.functions.map { name, description, properties, required in
            .object(["type": .string("function"), "function": .object([
                "name": .string(name), "description": .string(description), "parameters": AgentTools.schema(properties, required),
            ])])
        }
        let body: JSONValue = .object([
            "model": .string(model), "temperature": .integer(0), "tool_choice": .string("auto"), "tools": .array(tools),
            "messages": .array([
                .object(["role": .string("system"), "content": .string(AgentTools.system)]),
                .object(["role": .string("user"), "content": .string(message)]),
            ]),
        ])
        let headers = apiKey.map { ["Authorization: Bearer " + String(decoding: $0.revealedBytes, as: UTF8.self)] } ?? []
        let answer = try await post(transport, "\(baseURL)/chat/completions", body, headers: headers)
        guard case .array(let choices)? = answer["choices"], case .object(let first)? = choices.first,
              case .object(let reply)? = first["message"] else { throw .invalidAnswer }
        if case .array(let calls)? = reply["tool_calls"], case .object(let call)? = calls.first,
           case .object(let function)? = call["function"], case .string(let name)? = function["name"] {
            // `arguments` is a JSON object written as a string.
            guard case .string(let text)? = function["arguments"],
                  let arguments = try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8)) else { throw .invalidAnswer }
            return .call(name: name, arguments: arguments)
        }
        guard case .string(let text)? = reply["content"], !text.isEmpty else { throw .invalidAnswer }
        return .text(text)
    }
}

/// POSTs a JSON body and reads a JSON object back.
private func post(_ transport: any HTTPClient, _ url: String, _ body: JSONValue, headers: [String]) async throws(LanguageModelError) -> [String: JSONValue] {
    let response: HTTPTransport.Response
    do { response = try await transport.post(url: url, body: body.serialized(), headers: ["Content-Type: application/json"] + headers, timeout: nil) } catch {
        throw .unreachable("\(error)")
    }
    guard response.status == 200 else { throw .refused(status: response.status) }
    guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(response.body)) else { throw .invalidAnswer }
    return object
}
