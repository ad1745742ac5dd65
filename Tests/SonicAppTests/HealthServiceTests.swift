import AppTestSupport
import Foundation
import SonicConfig
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

    @Test func aNodeOnAnotherChainIsWrongChain() async throws {
        let services = try TestServices()
        let report = await HealthService(network: .testnet, chain: services.chain, database: services.store).check()
        #expect(report.status == .degraded && report.rpc == .wrongChain && report.block == nil)
        let json = try document(report)
        #expect(json["rpc"] as? String == "wrong_chain" && json["network"] as? String == "testnet" && json["chain_id"] as? Int == 31337)
    }
}
