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
        migrator.registerMigration("v6-history") { db in
            // The indexer's copy of the chain: block headers (for reorg checks and times),
            // transactions, and per-address activity decoded for people to read.
            try db.alter(table: "sync_state") { table in
                table.add(column: "chain_head", .integer)
                table.add(column: "blocks_total", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "indexed_block") { table in
                table.primaryKey("number", .integer)
                table.column("hash", .text).notNull()
                table.column("parent_hash", .text).notNull()
                table.column("timestamp", .integer).notNull()
            }
            try db.create(table: "indexed_transaction") { table in
                table.primaryKey("hash", .text)
                table.column("block", .integer).notNull()
                table.column("tx_index", .integer).notNull()
                table.column("sender", .text).notNull()
                table.column("recipient", .text)
                table.column("value_wei", .text).notNull()
                table.column("fee_wei", .text).notNull()
                table.column("status", .text).notNull()
            }
            try db.create(index: "indexed_transaction_by_block", on: "indexed_transaction", columns: ["block"])
            // One row per address and thing that happened to it; the primary key is the
            // history's order, so a page is one range scan (keyset pagination).
            try db.execute(sql: """
                CREATE TABLE activity (
                    address TEXT NOT NULL, block INTEGER NOT NULL, tx_index INTEGER NOT NULL, seq INTEGER NOT NULL,
                    hash TEXT NOT NULL, time INTEGER NOT NULL, type TEXT NOT NULL, direction TEXT NOT NULL,
                    counterparty TEXT, amount_wei TEXT NOT NULL, token_symbol TEXT NOT NULL, token_address TEXT,
                    token_decimals INTEGER NOT NULL, nft_contract TEXT, token_id TEXT, fee_wei TEXT,
                    status TEXT NOT NULL, reason TEXT, method TEXT, source TEXT NOT NULL DEFAULT 'node',
                    PRIMARY KEY (address, block, tx_index, seq)
                ) WITHOUT ROWID
                """)
            try db.create(index: "activity_by_block", on: "activity", columns: ["block"])
            // Every ERC-721 transfer seen (mints have sender 0x0…0 and carry the token URI).
            try db.create(table: "nft_transfer") { table in
                table.column("contract", .text).notNull()
                table.column("token_id", .text).notNull()
                table.column("block", .integer).notNull()
                table.column("log_index", .integer).notNull()
                table.column("sender", .text).notNull()
                table.column("receiver", .text).notNull()
                table.column("token_uri", .text)
                table.column("hash", .text).notNull()
                table.column("time", .integer).notNull()
                table.primaryKey(["contract", "token_id", "block", "log_index"])
            }
            try db.create(index: "nft_transfer_by_receiver", on: "nft_transfer", columns: ["receiver"])
            try db.create(index: "nft_transfer_by_block", on: "nft_transfer", columns: ["block"])
            // Addresses whose history the indexer keeps on networks where it cannot keep everything.
            try db.create(table: "watched_address") { table in
                table.primaryKey("address", .text)
                table.column("source", .text).notNull()
                table.column("added_at", .double).notNull()
                table.column("backfilled_at", .double)
            }
            try db.create(index: "tracked_transaction_by_update", on: "tracked_transaction", columns: ["updated_at"])
        }
        migrator.registerMigration("v7-tracked-change-log") { db in
            // Every change of a tracked transaction's state, numbered in commit order (SQLite has
            // one writer at a time), whichever process wrote it: the long-poll watchers read the
            // entries after the last one they saw. The last 100,000 are kept (Store.trackedChangesKept).
            // It replaces reading by `updated_at`, whose index goes.
            try db.execute(sql: """
                DROP INDEX tracked_transaction_by_update;
                CREATE TABLE tracked_change (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL);
                CREATE TRIGGER tracked_transaction_state_changed AFTER UPDATE OF state ON tracked_transaction
                WHEN NEW.state IS NOT OLD.state
                BEGIN
                    INSERT INTO tracked_change (hash) VALUES (NEW.hash);
                    DELETE FROM tracked_change WHERE seq <= last_insert_rowid() - 100000;
                END;
                """)
        }
        migrator.registerMigration("v8-tracked-unknown") { db in
            // Who asked us to track a hash the node did not know (a client key: "ip:…"), so each
            // client may have only a few such at once; NULL once the node knows it, and for what
            // was broadcast through us. The watcher walks the pending ones in (created_at, hash)
            // order, a page per tick, so it needs that order as an index.
            try db.execute(sql: """
                ALTER TABLE tracked_transaction ADD COLUMN unknown_client TEXT;
                CREATE INDEX tracked_transaction_unknown ON tracked_transaction (unknown_client) WHERE unknown_client IS NOT NULL;
                CREATE INDEX tracked_transaction_pending ON tracked_transaction (state, created_at, hash);
                """)
        }
        migrator.registerMigration("v9-nft-uploads") { db in
            // Every NFT upload, by the signed-in address: for the daily quotas, for removing
            // content never minted, and for pinning to paid services only what was minted.
            try db.execute(sql: """
                CREATE TABLE nft_upload (
                    address TEXT NOT NULL, metadata_cid TEXT NOT NULL, image_cid TEXT NOT NULL, bytes INTEGER NOT NULL,
                    uploaded_at REAL NOT NULL, minted_at REAL, pinned_at REAL, pin_retry_at REAL, removed_at REAL,
                    PRIMARY KEY (address, metadata_cid)
                );
                CREATE INDEX nft_upload_by_time ON nft_upload (address, uploaded_at);
                CREATE INDEX nft_upload_unminted ON nft_upload (uploaded_at) WHERE minted_at IS NULL AND removed_at IS NULL;
                CREATE INDEX nft_transfer_by_uri ON nft_transfer (token_uri) WHERE token_uri IS NOT NULL;
                """)
        }
        migrator.registerMigration("v10-retention") { db in
            // Watches that end: `expires_at` (NULL: never, for configured addresses); when one
            // ends the indexer records the last block it covered (`lapsed_after`) and stops
            // reading for it; watched again, the blocks from there on are a gap it re-reads
            // (`gap_from`). Addresses looked up before this migration are watched 7 more days.
            // And indexes to remove old conversations, cached reads and settled transactions by age.
            try db.execute(sql: """
                ALTER TABLE watched_address ADD COLUMN expires_at REAL;
                ALTER TABLE watched_address ADD COLUMN lapsed_after INTEGER;
                ALTER TABLE watched_address ADD COLUMN gap_from INTEGER;
                UPDATE watched_address SET expires_at = CAST(strftime('%s', 'now') AS REAL) + 604800 WHERE source = 'lookup';
                CREATE INDEX conversation_by_update ON conversation (updated_at);
                CREATE INDEX cache_by_time ON cache (stored_at);
                CREATE INDEX tracked_transaction_settled ON tracked_transaction (updated_at) WHERE state != 'pending';
                """)
        }
        migrator.registerMigration("v11-address-change-log") { db in
            // The live dashboard's per-address feed: an entry whenever the indexer adds or
            // removes activity of an address (`activity`), a tracked transaction it sent changes
            // state (`transaction`), or one of its alerts goes off (`alert`, no hash; written by
            // v12's trigger), numbered in commit order whichever process wrote it (as
            // tracked_change is). The last 100,000 are kept (Store.addressChangesKept).
            try db.execute(sql: """
                CREATE TABLE address_change (seq INTEGER PRIMARY KEY, address TEXT NOT NULL, kind TEXT NOT NULL, hash TEXT);
                CREATE INDEX address_change_by_address ON address_change (address, seq);
                CREATE TRIGGER activity_added AFTER INSERT ON activity
                BEGIN
                    INSERT INTO address_change (address, kind, hash) VALUES (NEW.address, 'activity', NEW.hash);
                    DELETE FROM address_change WHERE seq <= last_insert_rowid() - 100000;
                END;
                CREATE TRIGGER activity_removed AFTER DELETE ON activity
                BEGIN
                    INSERT INTO address_change (address, kind, hash) VALUES (OLD.address, 'activity', OLD.hash);
                    DELETE FROM address_change WHERE seq <= last_insert_rowid() - 100000;
                END;
                CREATE TRIGGER tracked_transaction_state_changed_for_sender AFTER UPDATE OF state ON tracked_transaction
                WHEN NEW.state IS NOT OLD.state AND NEW.sender IS NOT NULL
                BEGIN
                    INSERT INTO address_change (address, kind, hash) VALUES (NEW.sender, 'transaction', NEW.hash);
                    DELETE FROM address_change WHERE seq <= last_insert_rowid() - 100000;
                END;
                """)
        }
        migrator.registerMigration("v12-alerts") { db in
            // Alerts people set on their address, what each delivered (once per alert and
            // event key: a transaction hash, a premium end date) and how its webhook went, and
            // where the alert engine is in the address change log.
            try db.execute(sql: """
                CREATE TABLE alert (
                    id INTEGER PRIMARY KEY, address TEXT NOT NULL, kind TEXT NOT NULL, minimum_wei TEXT, days INTEGER,
                    webhook_url TEXT, webhook_secret TEXT, created_at REAL NOT NULL
                );
                CREATE INDEX alert_by_address ON alert (address);
                CREATE INDEX alert_by_kind ON alert (kind);
                CREATE TABLE alert_event (
                    id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL, address TEXT NOT NULL, kind TEXT NOT NULL, event_key TEXT NOT NULL,
                    hash TEXT, amount_wei TEXT, token_symbol TEXT, token_decimals INTEGER, message TEXT NOT NULL, created_at REAL NOT NULL,
                    delivery TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL, last_error TEXT, delivered_at REAL,
                    UNIQUE (alert_id, event_key)
                );
                CREATE INDEX alert_event_by_address ON alert_event (address, id);
                CREATE INDEX alert_event_due ON alert_event (next_attempt_at) WHERE delivery = 'pending';
                CREATE INDEX alert_event_by_time ON alert_event (created_at);
                CREATE TABLE alert_cursor (name TEXT PRIMARY KEY, seq INTEGER NOT NULL);
                CREATE TRIGGER alert_event_added AFTER INSERT ON alert_event
                BEGIN
                    INSERT INTO address_change (address, kind, hash) VALUES (NEW.address, 'alert', NULL);
                    DELETE FROM address_change WHERE seq <= last_insert_rowid() - 100000;
                END;
                """)
        }
        migrator.registerMigration("v13-tokens") { db in
            // What token contracts say of themselves (name, symbol, decimals), read once; the
            // tokens a signed-in address added by hand; and every ERC-20 Approval the indexer
            // saw, by owner (the allowances given), removed with their blocks on a reorganisation.
            try db.execute(sql: """
                CREATE TABLE token_metadata (
                    address TEXT PRIMARY KEY, name TEXT NOT NULL, symbol TEXT NOT NULL, decimals INTEGER NOT NULL, read_at REAL NOT NULL
                );
                CREATE TABLE added_token (address TEXT NOT NULL, token TEXT NOT NULL, added_at REAL NOT NULL, PRIMARY KEY (address, token));
                CREATE TABLE token_approval (
                    owner TEXT NOT NULL, token TEXT NOT NULL, spender TEXT NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL,
                    value_wei TEXT NOT NULL, hash TEXT NOT NULL, time INTEGER NOT NULL,
                    PRIMARY KEY (owner, token, spender, block, log_index)
                );
                CREATE INDEX token_approval_by_block ON token_approval (block);
                """)
        }
        migrator.registerMigration("v14-alert-start") { db in
            // Where in the address change log each alert starts: it goes off for what is
            // recorded after it was set (alerts made before: from the start of the log).
            try db.execute(sql: "ALTER TABLE alert ADD COLUMN starts_after INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v15-activity-staking") { db in
            // The validator and the withdrawal request a staking entry is about, for its line
            // ("Unstaked 50 S from validator 3, withdrawal request 2"); empty for everything else.
            try db.execute(sql: "ALTER TABLE activity ADD COLUMN validator INTEGER; ALTER TABLE activity ADD COLUMN request_id INTEGER")
        }
        migrator.registerMigration("v16-replaced-transactions") { db in
            // A tracked transaction whose nonce another of its sender's took (a wallet's speed-up
            // or cancel) is `replaced` or `cancelled`, naming that one (which is tracked too).
            try db.execute(sql: "ALTER TABLE tracked_transaction ADD COLUMN replaced_by TEXT")
        }
        migrator.registerMigration("v17-content") { db in
            // Uploaded NFT content (UnixFS blocks by object) for hosts sharing a PostgreSQL
            // database. Empty here: with SQLite the content is a folder (`SONIC_CONTENT_DIR`);
            // the table is there so both engines have one schema.
            try db.execute(sql: """
                CREATE TABLE content_object (
                    root TEXT PRIMARY KEY, content_type TEXT NOT NULL, size INTEGER NOT NULL, blocks TEXT NOT NULL, stored_at REAL NOT NULL
                );
                CREATE TABLE content_block (object TEXT NOT NULL, key TEXT NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (object, key));
                """)
        }
        migrator.registerMigration("v18-role-fence") { db in
            // Who holds each role across hosts sharing a PostgreSQL database (`ActiveRole`): a
            // number raised by each new holder, which that holder's writes check. Empty here: one
            // sonic-sync holds the SQLite file's lock; the table is there for one schema.
            try db.execute(sql: "CREATE TABLE role_fence (role TEXT PRIMARY KEY, holder INTEGER NOT NULL)")
        }
        return migrator
    }
}
