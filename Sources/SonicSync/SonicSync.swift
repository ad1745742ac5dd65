/// # SonicSync
///
/// The indexer: follows the chain head and writes what it sees to SQLite, the one writer of
/// chain data. For now it records the head it has reached; blocks, transactions and decoded
/// events come with the indexer issue.
///
/// Import it from the `sonic-sync` executable. Readers of history use `SonicStore`.
public enum SonicSyncModule {}
