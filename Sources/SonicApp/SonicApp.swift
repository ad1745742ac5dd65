import Logging

/// # SonicApp
///
/// The services (balance, transactions, tokens and allowances, history, subscription, NFT, auth, health, agent) and
/// the composition root that builds them (`App`). Services know nothing of HTTP: they take typed
/// inputs, return typed results and throw one error type, `AppError`; they are `async` and read
/// the chain, the clock and the store through what they are given (`ChainReads`, `Broadcaster`,
/// `TimeSource`), so tests give them fakes.
///
/// If you are serving HTTP, you want `SonicAPI`, which calls these; if you need chain bytes,
/// `Ethereum`; settings and networks, `SonicConfig`.
public enum SonicAppModule {}

/// The services' log (lines go through `LineLogHandler` once the process bootstraps it).
let logger = Logger(label: "sonic-app")
