import AppTestSupport
import Foundation
import SonicChain
import SonicConfig
import Synchronization
import TestSupport
import Testing
@testable import SonicApp

/// Health: the node on the configured chain and the database, each named when it is not ok,
/// in the document clients read (every key present, `null` for what is unknown).
@Suite struct HealthServiceTests {
    func document(_ report: HealthService.Report) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as! [String: Any]
    }

    @Test func aNodeOnTheRightChainAndADatabaseAreOk() async throws {
        let services = try TestServices()
        let report = await services.app.health.check()
        #expect(report.status == .ok && report.rpc == .ok && report.database == .ok && report.block == 100)
        let json = try document(report)
        #expect(json["status"] as? String == "ok" && json["rpc"] as? String == "ok" && json["database"] as? String == "ok")
        #expect(json["network"] as? String == "devnet" && json["chain_id"] as? Int == 31337 && json["block"] as? Int == 100)
    }

    @Test func anUnreachableNodeDegradesHealthAndLeavesNulls() async throws {
        let services = try TestServices()
        services.chain.update { $0.down = true }
        let report = await services.app.health.check()
        #expect(report.status == .degraded && report.rpc == .unreachable && report.database == .ok)
        let json = try document(report)
        #expect(json["status"] as? String == "degraded" && json["rpc"] as? String == "unreachable")
        #expect(json["chain_id"] is NSNull && json["block"] is NSNull)
        #expect(Set(json.keys) == ["status", "network", "chain_id", "block", "rpc", "database"])
    }

    /// Twenty checks at once while the node is slow make one set of node calls (chain id and
    /// head); more within the second are answered from it; after it, the node is asked again.
    @Test func concurrentChecksShareOneSetOfNodeCalls() throws {
        let services = try TestServices()
        let gate = DispatchSemaphore(value: 0)
        services.chain.update { $0.chainIDGate = gate }
        let health = services.app.health
        let done = DispatchSemaphore(value: 0)
        let blocks = Mutex<[UInt64?]>([])
        for _ in 0..<20 {
            Thread {
                let report = ThreadExecutor.run { await health.check() }
                blocks.withLock { $0.append(report.block) }
                done.signal()
            }.start()
        }
        #expect(eventually { health.waiting() == 19 })
        for _ in 0..<20 { gate.signal() }
        for _ in 0..<20 { done.wait() }
        #expect(blocks.withLock { $0 } == Array(repeating: 100, count: 20))
        #expect(services.chain.reads == 2)
        services.chain.update { $0.chainIDGate = nil }
        _ = ThreadExecutor.run { await health.check() }
        #expect(services.chain.reads == 2)
        services.clock.advance(1)
        _ = ThreadExecutor.run { await health.check() }
        #expect(services.chain.reads == 4)
    }

    @Test func aNodeOnAnotherChainIsWrongChain() async throws {
        let services = try TestServices()
        let report = await HealthService(network: .testnet, chain: services.chain, database: services.store).check()
        #expect(report.status == .degraded && report.rpc == .wrongChain && report.block == nil)
        let json = try document(report)
        #expect(json["rpc"] as? String == "wrong_chain" && json["network"] as? String == "testnet" && json["chain_id"] as? Int == 31337)
    }
}
