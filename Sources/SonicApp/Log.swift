import Foundation

/// One line per event on standard error, for the service's log file. Never pass secrets.
public enum Log {
    public static func info(_ message: @autoclosure () -> String) { write("info", message()) }
    public static func warning(_ message: @autoclosure () -> String) { write("warning", message()) }
    public static func error(_ message: @autoclosure () -> String) { write("error", message()) }

    private static func write(_ level: String, _ message: String) {
        let line = "\(Date().ISO8601Format()) \(level) \(message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
