import Foundation
import SonicChain
import SonicStore
import Testing
@testable import SonicSync

@Suite(.enabled(if: ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"] != nil))
struct HeadFollowerTests {
    let rpcURL = ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"] ?? ""
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString).sqlite").path

    @Test func recordsTheHead() throws {
        let store = try Store(path: path)
        let client = RPCClient(endpoints: [rpcURL])
        let head = try HeadFollower(client: client, store: store, chainID: 31337).step()
        #expect(head == (try client.blockNumber()))
        #expect(try store.syncState(chainID: 31337)?.head == head)
    }

    @Test func refusesANodeOnAnotherChain() throws {
        let store = try Store(path: path)
        let follower = HeadFollower(client: RPCClient(endpoints: [rpcURL]), store: store, chainID: 146)
        #expect(throws: SyncError.self) { try follower.step() }
        #expect(try store.syncState(chainID: 146) == nil)
    }
}
