/// Bytes that must never be printed: private keys, passwords, derived keys.
///
/// `description`, `debugDescription` and reflection all show `<redacted>`, so a secret that
/// slips into a log line, an error or a `dump` does not leak. Read the bytes with
/// `withUnsafeBytes` or `revealedBytes` only where they are used.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let storage: [UInt8]

    public init(_ bytes: [UInt8]) { storage = bytes }

    public var count: Int { storage.count }

    /// The bytes themselves. Name the call site's reason in a comment when you use this.
    public var revealedBytes: [UInt8] { storage }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBytes(body)
    }

    public var description: String { "<redacted \(storage.count) bytes>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
