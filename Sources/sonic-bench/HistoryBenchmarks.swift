import Ethereum
import Foundation
import SonicAPI
import SonicApp
import SonicConfig
import SonicHTTP
import SonicStore

/// A history page as sonic-fcgi answers it (routing, the SQLite read, JSON), for an address
/// with 10,000 indexed entries among 60,000: first pages, deep pages through cursors, and
/// filtered pages.
struct HistoryBenchmarks {
    let seconds: Double

    static let address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"

    func run(into table: inout BenchTable) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-history-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sonic.sqlite").path
        try fill(Store(path: path))
        let app = API(app: App(configuration: try Configuration(environment: [
            "SONIC_DB_PATH": path, "SONIC_RPC_URLS": "http://127.0.0.1:9", "SONIC_RATE_LIMIT_PER_MINUTE": "0",
            "SONIC_DEPLOYMENTS_DIR": folder.path, "SONIC_KNOWLEDGE_DIR": folder.path,
        ])))
        var rng = SystemRandomNumberGenerator()
        let queries: [() -> String] = [
            { "limit=25" },
            { "limit=25&cursor=\(UInt64.random(in: 1...20_000, using: &rng)).0.-1" },
            { "limit=100&cursor=\(UInt64.random(in: 1...20_000, using: &rng)).0.-1" },
            { "limit=25&direction=in" },
            { "limit=25&type=token_transfer&cursor=\(UInt64.random(in: 1...20_000, using: &rng)).0.-1" },
            { "limit=25&token=SUSD" },
        ]
        var samples: [Double] = []
        let deadline = Date().addingTimeInterval(seconds)
        var round = 0
        while Date() < deadline || samples.count < 2_000 {
            let request = Request(method: .get, path: "/api/history/\(Self.address)", query: queries[round % queries.count]())
            let started = DispatchTime.now().uptimeNanoseconds
            let response = app.handle(request)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            guard response.status == .ok else { throw BenchFailure("history answered \(response.status)") }
            round += 1
        }
        if ProcessInfo.processInfo.environment["BENCH_DETAIL"] != nil {
            for kind in queries.indices {
                let mine = samples.indices.filter { $0 % queries.count == kind }.map { samples[$0] }.sorted()
                Swift.print("query \(kind): median \(mine[mine.count / 2]) p95 \(mine[mine.count * 95 / 100])")
            }
        }
        samples.sort()
        let p50 = samples[samples.count / 2], p95 = samples[samples.count * 95 / 100]
        table.add("history page, 10,000 entries: median (ms)", format(p50, decimals: 3))
        table.add("history page, 10,000 entries: p95 (ms)", format(p95, decimals: 3), target: "< 5", met: p95 < 5)
    }

    /// 10,000 entries for the measured address and 50,000 for 500 others, in 20,000 blocks.
    func fill(_ store: Store) throws {
        let others = (0..<500).map { try! Address(String(format: "0x%040x", $0 + 1)) }
        let address = try Address(Self.address)
        func hash(_ number: UInt64) -> Hash32 { try! Hash32(String(format: "0x%064x", number)) }
        for start in stride(from: UInt64(1), through: 20_000, by: 1_000) {
            var batch = IndexBatch(chainHead: start + 999)
            for block in start..<(start + 1_000) {
                batch.blocks.append(IndexedBlock(number: block, hash: hash(block), parentHash: hash(block - 1), timestamp: 1_700_000_000 + block))
                if block % 2 == 0 {
                    let token = block % 6 == 0
                    batch.entries.append(ActivityEntry(
                        address: address, block: block, txIndex: 0, seq: -1, hash: hash(block), time: 1_700_000_000 + block,
                        kind: token ? .tokenTransfer : .transfer, direction: block % 4 == 0 ? .incoming : .outgoing, counterparty: others[Int(block) % 500],
                        amountWei: UInt256(block).multiplied(by: UInt256(1_000_000_000_000_000))!, tokenSymbol: token ? "SUSD" : "S", tokenAddress: token ? others[0] : nil,
                        tokenDecimals: token ? 6 : 18, feeWei: UInt256(21_000_000_000_000), status: .confirmed))
                }
                for offset in 0..<(block % 2 == 0 ? 2 : 3) {
                    let other = others[(Int(block) * 5 + offset) % 500]
                    batch.entries.append(ActivityEntry(
                        address: other, block: block, txIndex: 1 + offset, seq: -1, hash: hash(block * 10 + UInt64(offset)),
                        time: 1_700_000_000 + block, kind: .transfer, direction: .outgoing, counterparty: address, amountWei: 1,
                        tokenSymbol: "S", tokenDecimals: 18, status: .confirmed))
                }
            }
            try store.apply(batch, chainID: 31337, at: Date())
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
