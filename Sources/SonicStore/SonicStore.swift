/// # SonicStore
///
/// The SQLite database (GRDB, WAL mode): schema and append-only migrations, and — as the
/// backend grows — the cache, tracked transactions, history, sessions and rate limits.
///
/// Everything in it is a cache or an index that can be rebuilt from the chain, except sessions.
/// Import it from services (`SonicApp`) and the indexer (`SonicSync`); it never calls the network.
public enum SonicStoreModule {}
