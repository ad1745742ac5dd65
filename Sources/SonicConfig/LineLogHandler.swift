import Foundation
import Logging

/// swift-log's handler for our processes: one line per event on standard error, for the
/// service's log file, as `2026-12-02T19:20:40Z warning sonic-sync: …`. Metadata is appended as
/// `key=value`. Never log secrets: `Secret` prints as `<redacted>`, but a key in plain text would
/// not; URLs are reduced to their scheme and host (`Redaction`), since keys ride in paths.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    public init() {}

    /// Makes every `Logger` of the process write through this handler; call once, first thing
    /// in `main`.
    public static func bootstrap(level: Logger.Level = .info) {
        LoggingSystem.bootstrap { _ in
            var handler = LineLogHandler()
            handler.logLevel = level
            return handler
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data(Self.line(event, metadata: metadata).utf8))
    }

    /// The text written for one event, newline included.
    static func line(_ event: LogEvent, metadata: Logger.Metadata, now: Date = Date()) -> String {
        var line = "\(now.ISO8601Format()) \(event.level.rawValue) \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
        return Redaction.reducingURLs(in: line) + "\n"
    }
}
