import Ethereum
import Foundation
import GRDB

extension Store {
    /// One page of an address's history, newest first.
    /// - Throws: `StoreError.corruptValue` naming the column of an entry that does not convert.
    public func history(_ query: HistoryQuery) throws(StoreError) -> [ActivityEntry] {
        var conditions = ["address = ?"]
        var arguments: StatementArguments = [query.address]
        if let after = query.after {
            conditions.append("(block, tx_index, seq) < (?, ?, ?)")
            arguments += [Int64(after.block), after.txIndex, after.seq]
        }
        if let direction = query.direction {
            conditions.append("direction = ?")
            arguments += [direction]
        }
        if let kind = query.kind {
            conditions.append("type = ?")
            arguments += [kind]
        }
        switch query.token {
        case .symbol(let symbol)?:
            conditions.append("token_symbol = ? COLLATE NOCASE")
            arguments += [symbol]
        case .address(let token)?:
            conditions.append("token_address = ?")
            arguments += [token]
        case nil:
            break
        }
        arguments += [query.limit]
        let sql = """
            SELECT \(ActivityEntry.Columns.selection()) FROM activity WHERE \(conditions.joined(separator: " AND "))
            ORDER BY block DESC, tx_index DESC, seq DESC LIMIT ?
            """
        return try read { db in
            var entries: [ActivityEntry] = []
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
            while let row = try rows.next() { entries.append(try ActivityEntry(row: row)) }
            return entries
        }
    }

    /// The NFTs `owner` holds now (by the last transfer of each token), newest first.
    /// - Throws: `StoreError.corruptValue` naming the column that does not convert.
    public func ownedNFTs(_ owner: Address) throws(StoreError) -> [OwnedNFT] {
        try read { db in
            try Row.fetchAll(db, sql: OwnedNFT.selectSQL, arguments: [owner]).map { row throws(StoreError) in try OwnedNFT(row: row) }
        }
    }
}
