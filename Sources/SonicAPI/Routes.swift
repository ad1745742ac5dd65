import SonicHTTP

extension API {
    /// Every endpoint, declared once. Fixed paths come before the patterns they would also fit
    /// (`/api/tx/prepare` before `/api/tx/{hash}`): the first pattern that fits a path owns it.
    static let routes: [Route] = [
        .answer("GET", "/api/health", exempt: true) { api, _ in await api.health() },
        .answer("GET", "/metrics", exempt: true) { api, _ in api.metricsText() },
        .answer("GET", "/api/network") { api, _ in try await api.network() },
        .answer("GET", "/api/balance/{address}", query: ["tokens"]) { api, call in try await api.balance(call) }
            .answering { api, call in try api.freshBalance(call).map(call.respond) != nil },
        .answer("GET", "/api/history/{address}", query: HistoryQueryDecoder.fields) { api, call in try await api.history(call) },
        .answer("POST", "/api/tx/prepare") { api, call in try await api.prepareTransfer(call) },
        .answer("POST", "/api/tx/send") { api, call in try await api.send(call) },
        .answer("POST", "/api/tx/track") { api, call in try await api.track(call) },
        Route("GET", "/api/tx/{hash}", query: ["wait", "since"]) { api, call in try await api.transactionStatus(call) }
            .answering { api, call in try api.trackedTransactionStatus(call) },
        .answer("POST", "/api/subscription/prepare") { api, call in try await api.preparePurchase(call) },
        .answer("GET", "/api/subscription/{address}") { api, call in try await api.subscription(call) },
        .answer("GET", "/api/auth/nonce", query: ["address"]) { api, call in try await api.nonce(call) },
        .answer("POST", "/api/auth/verify") { api, call in try await api.signIn(call) },
        .answer("POST", "/api/auth/logout") { api, call in try await api.signOut(call) },
        .answer("GET", "/api/auth/me") { api, call in try await api.me(call) },
        .answer("POST", "/api/agent") { api, call in try await api.agent(call) },
        .answer("POST", "/api/nft/assets", query: ["cid_version"]) { api, call in try await api.upload(call) },
        .answer("POST", "/api/nft/prepare-mint") { api, call in try await api.prepareMint(call) },
        .answer("GET", "/api/nft/{address}") { api, call in try await api.nfts(call) },
        .answer("GET", "/ipfs/{cid}") { api, call in try await api.content(call) },
    ]
}
