import Ethereum
import Foundation
import SonicApp
import SonicChain
import SonicHTTP
import SonicStore

extension API {
    /// What the feed answers: the entries of the address after the cursor it was asked from
    /// (empty when the wait ended without one), and the cursor to ask from next.
    struct FeedResponse: Encodable {
        struct Change: Encodable {
            let seq: Int64
            let kind: String
            /// The transaction, for `activity` and `transaction`; null for `alert`.
            let hash: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(seq, forKey: .seq)
                try container.encode(kind, forKey: .kind)
                try container.encode(hash, forKey: .hash)  // null, not absent
            }

            enum CodingKeys: String, CodingKey { case seq, kind, hash }
        }

        let address: String
        let cursor: Int64
        let changes: [Change]

        init(address: Address, cursor: Int64, changes: [AddressChange]) {
            self.address = address.checksummed
            self.cursor = changes.last?.seq ?? cursor
            self.changes = changes.map { Change(seq: $0.seq, kind: $0.kind.rawValue, hash: $0.hash?.description) }
        }
    }

    /// GET /api/feed/{address}?after=N&wait=S: the address's entries in the change log after
    /// `after` at once when there are any; otherwise waits up to S seconds (at most 60) for the
    /// next. Without `after`, answers the newest cursor at once, where a page starts.
    func addressFeed(_ call: Route.Call) async throws {
        let address = try Validate.address(call.parameters[0], field: "address")
        let query = call.request.queryItems
        let wait = try Self.waitSeconds(query["wait"])
        app.watchlist.watch(address, source: "lookup")
        guard let text = query["after"] else {
            return call.respond(Self.feedResponse(FeedResponse(address: address, cursor: try await app.feed.cursor(), changes: [])))
        }
        guard let after = Int64(text), after >= 0 else {
            throw AppError.invalidInput(field: "after", summary: "Invalid after",
                                        detail: "after must be a cursor from an earlier answer (a whole number, 0 or more), got \"\(RequestBody.preview(text))\"")
        }
        let changes = try await app.feed.changes(of: address, after: after)
        guard changes.isEmpty, wait > 0 else {
            return call.respond(Self.feedResponse(FeedResponse(address: address, cursor: after, changes: changes)))
        }
        let (feed, respond) = (app.feed, call.respond)
        let once = Once()
        let parked = feed.park(address, client: Self.client(call.request), until: Date().addingTimeInterval(Double(wait))) { _ in
            guard once.claim() else { return }
            Self.onTheSpotOrLater(feed.readsOnTheSpot) {
                let latest = (try? await feed.changes(of: address, after: after)) ?? []
                respond(Self.feedResponse(FeedResponse(address: address, cursor: after, changes: latest)))
            }
        }
        guard parked else { return call.respond(tooManyWaiting()) }
        // An entry may have come between reading and parking: look once more.
        let waiters = app.waiters
        Self.onTheSpotOrLater(feed.readsOnTheSpot) {
            if let again = try? await feed.changes(of: address, after: after), !again.isEmpty { waiters.wake(AddressFeed.key(address)) }
        }
    }

    /// Runs `work` to its end on this thread when the database reads on the spot (a local
    /// SQLite file: nothing in it waits), else as a task of its own.
    static func onTheSpotOrLater(_ onTheSpot: Bool, _ work: @escaping @Sendable () async -> Void) {
        if onTheSpot { ThreadExecutor.run(work) } else { Task(operation: work) }
    }

    /// `wait`: whole seconds from 0 to 60 (0 when absent).
    static func waitSeconds(_ text: String?) throws -> Int {
        guard let text else { return 0 }
        guard let seconds = Int(text), (0...60).contains(seconds) else {
            throw AppError.invalidInput(field: "wait", summary: "Invalid wait", detail: "wait must be a whole number of seconds from 0 to 60, got \"\(RequestBody.preview(text))\"")
        }
        return seconds
    }

    static func feedResponse(_ feed: FeedResponse) -> Response {
        return Response.json(feed).notStored()
    }
}
