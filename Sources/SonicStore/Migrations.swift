import GRDB

/// The schema, as an append-only list of migrations. Never edit a migration that has shipped:
/// add a new one. `Store` applies the pending ones when it opens the file.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cache") { db in
            // Key-value cache of chain reads (balances, network facts), the L2 behind memory.
            try db.create(table: "cache") { table in
                table.primaryKey("key", .text)
                table.column("value", .blob).notNull()
                table.column("stored_at", .double).notNull()
            }
        }
        migrator.registerMigration("v2-sync-state") { db in
            // What the indexer has seen of the chain; one row per network.
            try db.create(table: "sync_state") { table in
                table.primaryKey("chain_id", .integer)
                table.column("head", .integer).notNull()
                table.column("updated_at", .double).notNull()
            }
        }
        migrator.registerMigration("v3-tracked-transactions") { db in
            // Transactions the dashboard follows to their final state.
            try db.create(table: "tracked_transaction") { table in
                table.primaryKey("hash", .text)
                table.column("sender", .text)
                table.column("nonce", .integer)
                table.column("state", .text).notNull()  // pending, confirmed, failed, dropped
                table.column("block", .integer)
                table.column("gas_used", .integer)
                table.column("fee_wei", .text)
                table.column("reason", .text)
                table.column("created_at", .double).notNull()
                table.column("updated_at", .double).notNull()
            }
            try db.create(index: "tracked_transaction_by_state", on: "tracked_transaction", columns: ["state"])
        }
        migrator.registerMigration("v4-auth") { db in
            // Sign-In with Ethereum: single-use nonces and sessions (tokens stored hashed).
            try db.create(table: "auth_nonce") { table in
                table.primaryKey("nonce", .text)
                table.column("expires_at", .double).notNull()
            }
            try db.create(table: "session") { table in
                table.primaryKey("token_hash", .text)
                table.column("address", .text).notNull()
                table.column("csrf_token", .text).notNull()
                table.column("created_at", .double).notNull()
                table.column("expires_at", .double).notNull()
            }
        }
        migrator.registerMigration("v5-agent") { db in
            // What the agent remembers per conversation (pending transfer, last action).
            try db.create(table: "conversation") { table in
                table.primaryKey("id", .text)
                table.column("address", .text)
                table.column("state", .text).notNull()
                table.column("updated_at", .double).notNull()
            }
            // The knowledge base for general questions, searched with FTS5.
            try db.execute(sql: "CREATE VIRTUAL TABLE knowledge USING fts5(slug UNINDEXED, title, body)")
        }
        return migrator
    }
}
