import SonicChain
import SonicStore

/// Runs a call of the (async) repository to its end on the calling thread: the indexer's and the
/// backfill's own thread, which has nothing else to do meanwhile and holds no thread of a pool
/// (and sonic-sync's commands).
public func blocking<Value: Sendable>(_ store: any IndexRepository,
                               _ body: @escaping @Sendable (any IndexRepository) async throws(StoreError) -> Value) throws(StoreError) -> Value {
    try ThreadExecutor.run { () async throws(StoreError) -> Value in try await body(store) }
}
