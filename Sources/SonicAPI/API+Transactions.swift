import Ethereum
import Foundation
import SonicApp
import SonicHTTP
import SonicStore
import Synchronization

extension API {
    struct TransferBody: Decodable {
        let from: String
        let to: String
        let amount: String
        let token: String?
        /// Warning codes the person acknowledged (`RecipientWarning`): needed for a recipient
        /// from which coins could not be recovered.
        let acknowledge: [String]?
    }

    /// POST /api/tx/prepare `{from, to, amount, token?, acknowledge?}`: a transfer of S or a
    /// known token, previewed; to the zero address, a burn address, a token's contract or ours
    /// only with each of its warning codes in `acknowledge`.
    func prepareTransfer(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: TransferBody.self)
        let from = try Validate.address(body.from, field: "from"), to = try Validate.address(body.to, field: "to")
        var acknowledged: Set<RecipientWarning> = []
        for code in body.acknowledge ?? [] {
            guard let warning = RecipientWarning(rawValue: code) else {
                let known = RecipientWarning.allCases.map(\.rawValue).joined(separator: ", ")
                throw AppError.invalidInput(field: "acknowledge", summary: "Unknown warning", detail: "acknowledge: \"\(code)\" is not one of \(known)")
            }
            acknowledged.insert(warning)
        }
        return await .json(try app.transactions.prepareTransfer(from: from, to: to, amount: body.amount, token: body.token, acknowledged: acknowledged))
    }

    struct SendBody: Decodable { let raw: String }

    struct Sent: Encodable {
        let hash: String
        let from: String
        let nonce: UInt64
        let status: String
    }

    /// POST /api/tx/send `{raw}`: a transaction the wallet signed, broadcast and tracked.
    func send(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: SendBody.self)
        let raw: [UInt8]
        do { raw = try Hex.decode(body.raw) } catch {
            throw AppError.invalidInput(field: "raw", summary: "Invalid transaction", detail: "raw: \(error)")
        }
        let sent = try await app.transactions.send(raw: raw)
        return .json(Sent(hash: sent.hash.description, from: sent.from.checksummed, nonce: sent.nonce, status: sent.state.rawValue))
    }

    struct TrackBody: Decodable { let hash: String }

    /// POST /api/tx/track `{hash}`: follow a transaction the wallet broadcast itself (one the
    /// node does not know is kept briefly, a few per client).
    func track(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: TrackBody.self)
        return await .json(try app.transactions.track(try Validate.hash(body.hash, field: "hash"), client: Self.client(call.request)))
    }

    /// Who a request comes from, for the per-client caps: its IP (signing in again with a new key
    /// makes a new session, never a new address).
    static func client(_ request: Request) -> String { "ip:\(request.remoteAddress)" }

    /// What a status request asks: the hash, how long to wait, and for a change from which state.
    struct StatusQuery {
        let hash: Hash32
        let wait: Int
        let since: String?

        /// Whether the request waits, given the state now.
        func waits(on current: TransactionStatus) -> Bool { wait > 0 && since == current.status && current.status == "pending" }
    }

    func statusQuery(_ call: Route.Call) throws -> StatusQuery {
        let hash = try Validate.hash(call.parameters[0], field: "hash")
        let query = call.request.queryItems
        let wait = try Self.waitSeconds(query["wait"])
        let states = TrackedTransaction.State.allCases.map(\.rawValue) + ["unknown"]
        if let since = query["since"], !states.contains(since) {
            throw AppError.invalidInput(field: "since", summary: "Invalid since", detail: "since must be one of \(states.joined(separator: ", ")), got \"\(since)\"")
        }
        return StatusQuery(hash: hash, wait: wait, since: query["since"])
    }

    /// GET /api/tx/{hash}?wait=N&since=STATE: answers now, unless the state is still `since`;
    /// then waits up to N seconds (at most 60) for it to change.
    func transactionStatus(_ call: Route.Call) async throws {
        let query = try statusQuery(call)
        if let tracked = try await app.transactions.trackedStatus(query.hash) {
            // Watched already: parking it writes nothing.
            return answerOrPark(call, query, current: tracked)
        }
        let current = try await app.transactions.chainStatus(query.hash)
        // Watch it even when nobody asked us to track it, so the change is seen.
        if query.waits(on: current) { try await app.transactions.watch(query.hash) }
        answerOrPark(call, query, current: current)
    }

    /// The same on the spot for a transaction we track (every long-poll of the dashboard): its
    /// state is in the local database. False for one we do not track, which the node must be
    /// asked about, and where the database cannot answer without a wait (PostgreSQL).
    func trackedTransactionStatus(_ call: Route.Call) throws -> Bool {
        let query = try statusQuery(call)
        guard let current = try app.transactions.immediateTrackedStatus(query.hash) else { return false }
        answerOrPark(call, query, current: current)
        return true
    }

    /// Answers with `current`, or parks the request until the state changes or the wait ends;
    /// 429 when its client has `SONIC_LONG_POLLS_PER_CLIENT` waiting already.
    func answerOrPark(_ call: Route.Call, _ query: StatusQuery, current: TransactionStatus) {
        guard query.waits(on: current) else { return call.respond(Self.statusResponse(current)) }
        let (transactions, network, respond, hash) = (app.transactions, app.context.network, call.respond, query.hash)
        let once = Once()
        let parked = app.waiters.park(hash.description, client: Self.client(call.request), until: Date().addingTimeInterval(Double(query.wait))) { value in
            guard once.claim() else { return }
            // The waker usually has the new state; read it only when it does not.
            if let given = value as? TrackedTransaction { return respond(Self.statusResponse(TransactionStatus(given, network: network))) }
            if let now = try? transactions.immediateTrackedStatus(hash) { return respond(Self.statusResponse(now)) }
            Task { respond(Self.statusResponse((try? await transactions.trackedStatus(hash)) ?? current)) }
        }
        guard parked else { return call.respond(tooManyWaiting()) }
        // The state may have changed between reading it and parking: look once more.
        if let again = try? transactions.immediateTrackedStatus(hash) {
            if again.status != current.status { app.waiters.wake(hash.description) }
            return
        }
        let waiters = app.waiters
        Task {
            if let again = try? await transactions.trackedStatus(hash), again.status != current.status { waiters.wake(hash.description) }
        }
    }

    /// 429 for a long-poll whose client has `SONIC_LONG_POLLS_PER_CLIENT` waiting already.
    func tooManyWaiting() -> Response {
        .problem(Problem(AppError.rateLimited(retryAfter: 1, detail:
            "at most \(app.waiters.perClient) requests may wait at once per client; ask again without wait, or when one of yours is answered")))
    }

    static func statusResponse(_ status: TransactionStatus) -> Response {
        return Response.json(status).notStored()
    }
}

/// Lets exactly one caller through.
final class Once: Sendable {
    private let claimed = Atomic<Bool>(false)
    func claim() -> Bool { claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged }
}
