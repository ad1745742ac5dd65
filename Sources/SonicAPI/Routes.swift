import SonicHTTP

extension API {
    /// Every endpoint, declared once. Fixed paths come before the patterns they would also fit
    /// (`/api/tx/prepare` before `/api/tx/{hash}`): the first pattern that fits a path owns it.
    static let routes: [Route] = [
        .answer(.get, "/api/health", exempt: true) { api, _ in await api.health() },
        .answer(.get, "/metrics", exempt: true) { api, _ in api.metricsText() },
        .answer(.get, "/api/network") { api, _ in try await api.network() },
        .answer(.get, "/api/balance/{address}", query: ["tokens"]) { api, call in try await api.balance(call) }
            .answering { api, call in try api.freshBalance(call).map(call.respond) != nil },
        .answer(.get, "/api/history/{address}", query: HistoryQueryDecoder.fields) { api, call in try await api.history(call) },
        .answer(.post, "/api/tx/prepare") { api, call in try await api.prepareTransfer(call) },
        .answer(.post, "/api/tx/send") { api, call in try await api.send(call) },
        .answer(.post, "/api/tx/track") { api, call in try await api.track(call) },
        Route(.get, "/api/tx/{hash}", query: ["wait", "since"]) { api, call in try await api.transactionStatus(call) }
            .answering { api, call in try api.trackedTransactionStatus(call) },
        .answer(.post, "/api/subscription/prepare") { api, call in try await api.preparePurchase(call) },
        .answer(.get, "/api/subscription/{address}") { api, call in try await api.subscription(call) },
        .answer(.get, "/api/auth/nonce", query: ["address"], signIn: true) { api, call in try await api.nonce(call) },
        .answer(.post, "/api/auth/verify", signIn: true) { api, call in try await api.signIn(call) },
        .answer(.post, "/api/auth/logout") { api, call in try await api.signOut(call) },
        .answer(.get, "/api/auth/me") { api, call in try await api.me(call) },
        .answer(.post, "/api/agent") { api, call in try await api.agent(call) },
        .answer(.post, "/api/nft/assets", query: ["cid_version"]) { api, call in try await api.upload(call) },
        .answer(.post, "/api/nft/prepare-mint") { api, call in try await api.prepareMint(call) },
        .answer(.get, "/api/nft/{address}") { api, call in try await api.nfts(call) },
        .answer(.get, "/ipfs/{cid}") { api, call in try await api.content(call) },
    ]
}
