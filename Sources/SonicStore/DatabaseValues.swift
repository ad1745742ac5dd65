import Ethereum
import GRDB

// The chain's value types as SQLite stores them, exactly the text written before they were
// typed (so no data migration): an address and a hash as lower-case `0x…` hex, an amount or a
// token id as decimal digits. A stored text that is not one of these reads as nil, which the
// record types turn into `StoreError.corruptValue` naming the table and column.

extension Address: DatabaseValueConvertible {
    /// Lower-case `0x` and 40 hex digits, the form used as a key.
    public var databaseValue: DatabaseValue { lowercased.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Address? {
        guard case .string(let text) = dbValue.storage else { return nil }
        return try? Address(text)
    }
}

extension Hash32: DatabaseValueConvertible {
    /// Lower-case `0x` and 64 hex digits.
    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Hash32? {
        guard case .string(let text) = dbValue.storage else { return nil }
        return try? Hash32(text)
    }
}

extension UInt256: DatabaseValueConvertible {
    /// Decimal digits: SQLite's integers stop at 2^63, and wei amounts go far above.
    public var databaseValue: DatabaseValue { description.databaseValue }

    /// Decimal text only (the `0x` form `init(parsing:)` also reads is never stored).
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> UInt256? {
        guard case .string(let text) = dbValue.storage, !text.hasPrefix("0x") else { return nil }
        return try? UInt256(parsing: text)
    }
}
