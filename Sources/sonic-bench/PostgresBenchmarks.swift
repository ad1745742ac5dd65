import Dispatch
import Foundation
import Postgres
import Synchronization

/// A simple statement (`SELECT $1::bigint`, prepared once per connection) through `PostgresPool`
/// against a real server: its latency one at a time, and the throughput of 64 tasks sharing a
/// pool of 8 connections. Run only when given a database (`--database-url` or
/// SONIC_BENCH_DATABASE_URL); `make bench` does not start PostgreSQL.
struct PostgresBenchmarks {
    let seconds: Double
    let url: String

    func run(into table: inout BenchTable) throws {
        let pool = try PostgresPool(url: url, maxConnections: 8, maxQueued: 64, threadName: "pg-bench")
        defer { pool.stop() }
        let (latencies, sequentialSeconds) = try wait {
            var samples: [Double] = []
            for index in 0..<200 { _ = try await pool.query("SELECT $1::bigint", [.int(Int64(index))]) }  // warm up
            let begun = DispatchTime.now().uptimeNanoseconds
            let deadline = begun + UInt64(seconds * 1e9)
            while DispatchTime.now().uptimeNanoseconds < deadline || samples.count < 2_000 {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try await pool.query("SELECT $1::bigint", [.int(Int64(samples.count))])
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
            }
            return (samples.sorted(), Double(DispatchTime.now().uptimeNanoseconds - begun) / 1e9)
        }
        let sequential = "one at a time: \(format(Double(latencies.count) / sequentialSeconds)) queries/s"
        let p50 = latencies[latencies.count / 2], p99 = latencies[latencies.count * 99 / 100]
        table.add("postgres: simple query, one at a time (p50 / p99)", "\(format(p50)) / \(format(p99)) µs")
        let (count, elapsed) = try wait {
            let start = DispatchTime.now().uptimeNanoseconds
            let deadline = start + UInt64(seconds * 1e9)
            let count = try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<64 {
                    group.addTask {
                        var done = 0
                        while DispatchTime.now().uptimeNanoseconds < deadline {
                            _ = try await pool.query("SELECT $1::bigint", [.int(Int64(task))])
                            done += 1
                        }
                        return done
                    }
                }
                return try await group.reduce(0, +)
            }
            return (count, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        table.add("postgres: 64 tasks on 8 connections", "\(format(Double(count) / elapsed)) queries/s",
                  reference: sequential)
    }

    /// Runs `operation` to its end and returns what it returned, blocking the calling thread.
    private func wait<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) throws -> Value {
        let result = Mutex<Result<Value, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            do { let value = try await operation(); result.withLock { $0 = .success(value) } } catch { result.withLock { $0 = .failure(error) } }
            finished.signal()
        }
        finished.wait()
        return try result.withLock { $0! }.get()
    }
}
