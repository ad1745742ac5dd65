import Foundation
import SonicChain
import SonicStore

/// Polls the node for the latest block and records it in the store.
public struct HeadFollower: Sendable {
    let client: RPCClient
    let store: Store
    let chainID: UInt64

    public init(client: RPCClient, store: Store, chainID: UInt64) {
        self.client = client
        self.store = store
        self.chainID = chainID
    }

    /// One step: reads the head, records it, returns it.
    /// - Throws: `SyncError` when the node serves another chain or either side fails.
    @discardableResult
    public func step() throws(SyncError) -> UInt64 {
        let served: UInt64, head: UInt64
        do {
            served = try client.chainID()
            head = try client.blockNumber()
        } catch {
            throw .chain(error)
        }
        guard served == chainID else { throw .wrongChain(expected: chainID, served: served) }
        do {
            try store.saveSyncState(chainID: chainID, head: head)
        } catch {
            throw .store(error)
        }
        return head
    }
}

/// Why the indexer could not take a step.
public enum SyncError: Error, Sendable, CustomStringConvertible {
    case wrongChain(expected: UInt64, served: UInt64)
    case chain(ChainError)
    case store(StoreError)

    public var description: String {
        switch self {
        case .wrongChain(let expected, let served): "the node serves chain id \(served), expected \(expected)"
        case .chain(let error): "\(error)"
        case .store(let error): "\(error)"
        }
    }
}
