import ArgumentParser
import Foundation

/// `sonic-bench`: the figures `make bench` prints. Build it in release mode.
@main
struct SonicBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sonic-bench",
        abstract: "Measure Smart Sonic's hot paths and print them beside their references and targets.")

    @Option(help: "Seconds to run each measurement.") var seconds: Double = 2

    @Option(help: "Run one group only: ethereum, agent, history, request or postgres.") var only: String?

    @Option(help: "A PostgreSQL database for the postgres group (or SONIC_BENCH_DATABASE_URL); without one it is skipped.")
    var databaseURL: String?

    func run() throws {
        var table = BenchTable()
        if only == nil || only == "ethereum" { EthereumBenchmarks(seconds: seconds).run(into: &table) }
        if only == nil || only == "agent" { AgentBenchmarks(seconds: seconds).run(into: &table) }
        if only == nil || only == "history" { try HistoryBenchmarks(seconds: seconds).run(into: &table) }
        if only == nil || only == "request" { try RequestPathBenchmarks(seconds: seconds).run(into: &table) }
        if only == nil || only == "postgres" {
            if let url = databaseURL ?? ProcessInfo.processInfo.environment["SONIC_BENCH_DATABASE_URL"] {
                try PostgresBenchmarks(seconds: seconds, url: url).run(into: &table)
            } else if only == "postgres" {
                throw ValidationError("the postgres group needs --database-url or SONIC_BENCH_DATABASE_URL (postgres://…)")
            }
        }
        table.print()
        if table.missedTargets > 0 { throw ExitCode(1) }
    }
}

/// Rows of figures with their targets, printed as one table.
struct BenchTable {
    struct Row {
        let name: String
        let value: String
        let reference: String
        let ratio: String
        let target: String
        let met: Bool?
    }

    var rows: [Row] = []
    var missedTargets: Int { rows.filter { $0.met == false }.count }

    mutating func add(_ name: String, _ value: String, reference: String = "", ratio: String = "", target: String = "", met: Bool? = nil) {
        rows.append(Row(name: name, value: value, reference: reference, ratio: ratio, target: target, met: met))
    }

    func print() {
        let header = ["measurement", "ours", "reference", "ratio", "target", ""]
        let cells = rows.map { [$0.name, $0.value, $0.reference, $0.ratio, $0.target, $0.met.map { $0 ? "met" : "MISSED" } ?? ""] }
        let widths = (0..<header.count).map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        Swift.print(line(header))
        Swift.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in cells { Swift.print(line(row)) }
    }
}

/// Runs `body` repeatedly for about `seconds` and returns operations per second.
func measure(seconds: Double, batch: Int = 100, _ body: () -> Void) -> Double {
    for _ in 0..<batch { body() }  // warm up
    let start = DispatchTime.now().uptimeNanoseconds
    var operations = 0
    var elapsed: Double = 0
    repeat {
        for _ in 0..<batch { body() }
        operations += batch
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < seconds
    return Double(operations) / elapsed
}

/// A number with thousands separators and `decimals` fractional digits: 12,345.6
func format(_ value: Double, decimals: Int = 0) -> String {
    let scale = pow(10, Double(decimals))
    let scaled = Int((value * scale).rounded())
    let whole = String(scaled / Int(scale))
    var grouped = ""
    for (index, character) in whole.reversed().enumerated() {
        if index > 0 && index % 3 == 0 { grouped.append(",") }
        grouped.append(character)
    }
    let text = String(grouped.reversed())
    guard decimals > 0 else { return text }
    let fraction = String(scaled % Int(scale))
    return text + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}
