import SonicChain
import SonicHTTP

extension API {
    /// Bytes an address or a hash may have in a body, quotes included: room for a typo to be
    /// named by the field's own check, no more.
    private static let address = 128

    /// Every endpoint, declared once with its inputs and their bounds (`RequestBody`,
    /// `Route.maxInputBytes`; multipart parts for the upload). Fixed paths come before the
    /// patterns they would also fit (`/api/tx/prepare` before `/api/tx/{hash}`): the first
    /// pattern that fits a path owns it.
    static let routes: [Route] = [
        .answer(.get, "/api/health", exempt: true) { api, _ in await api.health() },
        .answer(.get, "/metrics", exempt: true) { api, _ in await api.metricsText() },
        .answer(.get, "/api/network") { api, _ in try await api.network() },
        .answer(.get, "/api/plans") { api, _ in api.plans() },
        .answer(.get, "/api/price") { api, _ in await api.price() },
        .answer(.get, "/api/balance/{address}", query: ["tokens"]) { api, call in try await api.balance(call) }
            .answering { api, call in try api.freshBalance(call).map(call.respond) != nil },
        .answer(.get, "/api/network/fees", query: ["blocks"]) { api, call in try await api.feeHistory(call) },
        .answer(.get, "/api/history/{address}/balance-series", query: ["days"]) { api, call in try await api.balanceSeries(call) },
        .answer(.get, "/api/history/{address}", query: HistoryQueryDecoder.fields) { api, call in try await api.history(call) },
        .answer(.post, "/api/tx/prepare", body: ["from": address, "to": address, "amount": 128, "token": 64, "acknowledge": 256]) { api, call in try await api.prepareTransfer(call) },
        // Any token and the allowances given (fixed paths before the patterns they would fit).
        .answer(.get, "/api/tokens/{address}") { api, call in try await api.tokens(call) },
        .answer(.delete, "/api/tokens/{address}") { api, call in try await api.removeToken(call) },
        .answer(.post, "/api/tokens", body: ["token": address]) { api, call in try await api.addToken(call) },
        .answer(.post, "/api/allowances/approve", body: ["from": address, "token": address, "spender": address, "amount": 128, "unlimited": 8]) { api, call in
            try await api.prepareApprove(call)
        },
        .answer(.post, "/api/allowances/revoke", body: ["from": address, "token": address, "spender": address]) { api, call in try await api.prepareRevoke(call) },
        .answer(.get, "/api/allowances/{address}") { api, call in try await api.allowances(call) },
        // Staking through the SFC.
        .answer(.post, "/api/staking/prepare", body: ["from": address, "action": 32, "validator": 32, "amount": 128, "wr_id": 32]) { api, call in
            try await api.prepareStaking(call)
        },
        .answer(.get, "/api/staking/{address}") { api, call in try await api.staking(call) },
        // Wrapping and swaps through the router.
        .answer(.post, "/api/swap/quote", body: ["from": address, "token_in": address, "token_out": address, "amount": 128, "slippage": 16]) { api, call in
            try await api.swapQuote(call)
        },
        .answer(.post, "/api/swap/prepare",
                body: ["from": address, "token_in": address, "token_out": address, "amount": 128, "slippage": 16, "minimum_out": 96,
                       "unlimited_approval": 8]) { api, call in
            try await api.prepareSwap(call)
        },
        .answer(.post, "/api/tx/send", body: ["raw": 2 * 131_072 + 4]) { api, call in try await api.send(call) },
        .answer(.post, "/api/tx/track", body: ["hash": address]) { api, call in try await api.track(call) },
        Route(.get, "/api/tx/{hash}", query: ["wait", "since"]) { api, call in try await api.transactionStatus(call) }
            .answering { api, call in try api.trackedTransactionStatus(call) },
        // The live dashboard's per-address feed: database only, answered or parked on the worker.
        // (On the spot where the database is a local file: its reads never wait.)
        Route(.get, "/api/feed/{address}", query: ["after", "wait"]) { api, call in try await api.addressFeed(call) }
            .answering { api, call in
                guard api.app.feed.readsOnTheSpot else { return false }
                try ThreadExecutor.run { () async throws -> Void in try await api.addressFeed(call) }
                return true
            },
        // Alerts (signed in): fixed paths before the pattern.
        .answer(.get, "/api/alerts") { api, call in try await api.listAlerts(call) },
        .answer(.post, "/api/alerts", body: ["kind": 32, "minimum": 128, "days": 16, "webhook_url": 2_100]) { api, call in try await api.createAlert(call) },
        .answer(.get, "/api/alerts/events", query: ["after", "limit"]) { api, call in try await api.alertEvents(call) },
        .answer(.delete, "/api/alerts/{id}") { api, call in try await api.deleteAlert(call) },
        .answer(.post, "/api/subscription/prepare", body: ["from": address, "months": 16]) { api, call in try await api.preparePurchase(call) },
        .answer(.get, "/api/subscription/{address}") { api, call in try await api.subscription(call) },
        .answer(.get, "/api/auth/nonce", query: ["address"], signIn: true) { api, call in try await api.nonce(call) },
        .answer(.post, "/api/auth/verify", body: ["message": 4_096, "signature": 4_100], signIn: true) { api, call in try await api.signIn(call) },
        .answer(.post, "/api/auth/logout") { api, call in try await api.signOut(call) },
        .answer(.get, "/api/auth/me") { api, call in try await api.me(call) },
        .answer(.post, "/api/agent", body: ["message": 8_192, "conversation": address]) { api, call in try await api.agent(call) },
        .answer(.post, "/api/nft/assets", query: ["cid_version"],
                body: ["image": 104_857_600, "name": 400, "description": 4_000, "attributes": 8_192]) { api, call in try await api.upload(call) },
        .answer(.post, "/api/nft/prepare-mint", body: ["token_uri": 2_048, "from": address]) { api, call in try await api.prepareMint(call) },
        .answer(.get, "/api/nft/{address}") { api, call in try await api.nfts(call) },
        .answer(.get, "/ipfs/{cid}") { api, call in try await api.content(call) },
    ]
}
