/// # SonicSync
///
/// The indexer: follows the chain and writes block headers, transactions and decoded
/// per-address activity to SQLite; the one writer of chain data (`WriterLock`).
///
/// - `Indexer` reads batches of blocks with their receipts, checks parent hashes and rolls
///   back reorganisations, and writes each batch in one database transaction.
/// - `ActivityDecoder` turns a mined transaction into history entries (pure).
/// - `EtherscanBackfill` fills watched addresses' older history from the Etherscan V2 API.
///
/// Import it from the `sonic-sync` executable. Readers of history use `SonicStore`.
public enum SonicSyncModule {}
