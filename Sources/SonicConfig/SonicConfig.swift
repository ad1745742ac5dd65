/// # SonicConfig
///
/// What every process of Smart Sonic reads before it does anything: the settings from the
/// environment (`Configuration`), the networks it can run against (`Network`, `KnownToken`) and
/// how it logs (`LineLogHandler` behind apple/swift-log's `Logger`).
///
/// It sits just above `Ethereum` so that `sonic-sync`, `sonic-site` and the `sonic` command use
/// it without linking the server. If you need the chain, you want `SonicChain`; if you serve
/// requests, `SonicApp` and `SonicAPI`.
public enum SonicConfigModule {}
