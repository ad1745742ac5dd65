/// # SonicApp
///
/// The services (balance, transactions, history, subscription, NFT, auth, health) and
/// HTTP-agnostic request handling: routes, validation, JSON, problem documents.
///
/// Handlers take a plain `Request` and return a plain `Response`, so every endpoint is testable
/// without FastCGI. If you are translating a protocol (FastCGI), you want `FastCGI`, which
/// calls `App.handle(_:)`; if you need chain bytes, you want `Ethereum`.
public enum SonicAppModule {}

import Logging

/// The services' log (lines go through `LineLogHandler` once the process bootstraps it).
let logger = Logger(label: "sonic-app")
