import Ethereum
import SonicApp
import SonicHTTP

extension API {
    struct AgentBody: Decodable {
        let message: String
        let conversation: String?
    }

    /// POST /api/agent `{message, conversation?}`: the agent's answer. "My" is the signed-in
    /// address; signed-out visitors can still ask about anything public. Language-model calls
    /// count against the signed-in address's daily allowance (the client IP's when signed out).
    func agent(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: AgentBody.self)
        let signedIn = try await session(of: call.request)?.address
        var caller = ModelCaller(key: "ip:\(call.request.remoteAddress)", weight: 1)
        if let signedIn {
            let subscriber = await app.subscribers.isSubscriber(signedIn.lowercased)
            caller = ModelCaller(key: "address:\(signedIn.lowercased)", weight: Plans.modelCallWeight(subscriber: subscriber))
        }
        let answer = try await ModelCaller.$current.withValue(caller) {
            try await app.agent.handle(message: body.message, conversation: body.conversation, signedIn: signedIn)
        }
        return .json(answer)
    }
}
