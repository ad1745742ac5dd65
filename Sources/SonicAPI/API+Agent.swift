import Ethereum
import SonicApp
import SonicHTTP

extension API {
    struct AgentBody: Decodable {
        let message: String
        let conversation: String?
    }

    /// POST /api/agent `{message, conversation?}`: the agent's answer. "My" is the signed-in
    /// address; signed-out visitors can still ask about anything public.
    func agent(_ call: Route.Call) async throws -> Response {
        let body = try RequestBody.decode(call.request, as: AgentBody.self, fields: ["message", "conversation"])
        let signedIn = try await session(of: call.request)?.address
        return await .json(try app.agent.handle(message: body.message, conversation: body.conversation, signedIn: signedIn))
    }
}
