import SonicHTTP

extension API {
    /// Every endpoint, declared once. Fixed paths come before the patterns they would also fit
    /// (`/api/tx/prepare` before `/api/tx/{hash}`): the first pattern that fits a path owns it.
    static let routes: [Route] = [
        .answer("GET", "/api/health", exempt: true) { api, _ in api.health() },
        .answer("GET", "/metrics", exempt: true) { api, _ in api.metricsText() },
        .answer("GET", "/api/network") { api, _ in try api.network() },
        .answer("GET", "/api/balance/{address}", query: ["tokens"]) { api, call in try api.balance(call) },
        .answer("GET", "/api/history/{address}", query: HistoryQueryDecoder.fields) { api, call in try api.history(call) },
        .answer("POST", "/api/tx/prepare") { api, call in try api.prepareTransfer(call) },
        .answer("POST", "/api/tx/send") { api, call in try api.send(call) },
        .answer("POST", "/api/tx/track") { api, call in try api.track(call) },
        Route("GET", "/api/tx/{hash}", query: ["wait", "since"]) { api, call in try api.transactionStatus(call) },
        .answer("POST", "/api/subscription/prepare") { api, call in try api.preparePurchase(call) },
        .answer("GET", "/api/subscription/{address}") { api, call in try api.subscription(call) },
        .answer("GET", "/api/auth/nonce", query: ["address"]) { api, call in try api.nonce(call) },
        .answer("POST", "/api/auth/verify") { api, call in try api.signIn(call) },
        .answer("POST", "/api/auth/logout") { api, call in try api.signOut(call) },
        .answer("GET", "/api/auth/me") { api, call in try api.me(call) },
        .answer("POST", "/api/agent") { api, call in try api.agent(call) },
        .answer("POST", "/api/nft/assets", query: ["cid_version"]) { api, call in try api.upload(call) },
        .answer("POST", "/api/nft/prepare-mint") { api, call in try api.prepareMint(call) },
        .answer("GET", "/api/nft/{address}") { api, call in try api.nfts(call) },
        .answer("GET", "/ipfs/{cid}") { api, call in try api.content(call) },
    ]
}
