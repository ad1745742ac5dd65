/// # SonicStore
///
/// The SQLite database (GRDB, WAL mode): schema and append-only migrations, typed records
/// (addresses, hashes and amounts as `Address`, `Hash32`, `UInt256`), and one repository
/// protocol per area (cache, tracked transactions, sessions, conversations, knowledge,
/// history, tokens and allowances, the indexer's writes) that `Store` implements and services are given.
///
/// Everything in it is a cache or an index that can be rebuilt from the chain, except sessions
/// and the tokens people added by hand.
/// Import it from services (`SonicApp`) and the indexer (`SonicSync`); it never calls the network.
public enum SonicStoreModule {}
