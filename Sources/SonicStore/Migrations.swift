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
        return migrator
    }
}
