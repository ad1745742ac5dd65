import Ethereum

/// Checks of values that came as text (from a message, a form, a query), each failure naming the field.
public enum Validate {
    public static func address(_ text: String, field: String) throws(AppError) -> Address {
        do { return try Address(text) } catch {
            throw .invalidInput(field: field, summary: "Invalid address", detail: "\(field): \(error)")
        }
    }

    public static func hash(_ text: String, field: String) throws(AppError) -> Hash32 {
        do { return try Hash32(text) } catch {
            throw .invalidInput(field: field, summary: "Invalid hash", detail: "\(field) must be 0x and 64 hex digits: \(error)")
        }
    }

    /// A positive decimal amount of a token with `decimals`.
    public static func amount(_ text: String, decimals: Int, symbol: String, field: String) throws(AppError) -> UInt256 {
        let value: UInt256
        do { value = try Units.parse(text, decimals: decimals) } catch {
            throw .invalidInput(field: field, summary: "Invalid amount", detail: "\(field): \(error) (\(symbol) has \(decimals) decimals)")
        }
        guard value > .zero else {
            throw .invalidInput(field: field, summary: "Invalid amount", detail: "\(field) must be more than 0 \(symbol)")
        }
        return value
    }
}
