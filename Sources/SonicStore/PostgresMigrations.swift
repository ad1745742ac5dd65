import Postgres

/// The schema of `Migrations` (SQLite) for PostgreSQL: the same tables, columns, constraints and
/// indexes, versioned by the same names in `schema_migrations`, append-only as those are. Applied
/// at start by whoever opens the database (`migrate`), each in a transaction under an advisory
/// lock, so hosts starting at once apply each exactly once; applying again changes nothing.
///
/// Types: TEXT is `text`, BLOB `bytea`, INTEGER `bigint`, REAL and DOUBLE `double precision`
/// (times in seconds; amounts stay decimal text, as in SQLite). `PostgresSchemaTests` compares
/// the two schemas column by column, so they cannot drift apart unnoticed.
public enum PostgresMigrations {
    /// The transaction-level advisory lock every write to a change log (`tracked_change`,
    /// `address_change`) takes first, in the triggers of v7 and v11: numbers in commit order.
    public static let changeLogLock: Int64 = 7310

    /// `(name, SQL)`, in order; the names are those of `Migrations`.
    public static let all: [(name: String, sql: String)] = [
        ("v1-cache", """
            CREATE TABLE cache (key text PRIMARY KEY, value bytea NOT NULL, stored_at double precision NOT NULL);
            """),
        ("v2-sync-state", """
            CREATE TABLE sync_state (chain_id bigint PRIMARY KEY, head bigint NOT NULL, updated_at double precision NOT NULL);
            """),
        ("v3-tracked-transactions", """
            CREATE TABLE tracked_transaction (
                hash text PRIMARY KEY, sender text, nonce bigint, state text NOT NULL, block bigint, gas_used bigint,
                fee_wei text, reason text, created_at double precision NOT NULL, updated_at double precision NOT NULL);
            CREATE INDEX tracked_transaction_by_state ON tracked_transaction (state);
            """),
        ("v4-auth", """
            CREATE TABLE auth_nonce (nonce text PRIMARY KEY, expires_at double precision NOT NULL);
            CREATE TABLE session (
                token_hash text PRIMARY KEY, address text NOT NULL, csrf_token text NOT NULL,
                created_at double precision NOT NULL, expires_at double precision NOT NULL);
            """),
        // SQLite's knowledge is an FTS5 table. Here: a plain table whose generated `search`
        // column holds the words of title and body (`simple`: no stemming, as FTS5's default
        // tokenizer), under a GIN index; rank with ts_rank instead of bm25.
        ("v5-agent", """
            CREATE TABLE conversation (id text PRIMARY KEY, address text, state text NOT NULL, updated_at double precision NOT NULL);
            CREATE TABLE knowledge (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, slug text, title text, body text,
                search tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('simple', coalesce(title, '')), 'A') || to_tsvector('simple', coalesce(body, ''))) STORED);
            CREATE INDEX knowledge_search ON knowledge USING gin (search);
            """),
        // activity is WITHOUT ROWID in SQLite; a PostgreSQL table is always a heap, and its
        // primary key index serves the keyset pages the same way.
        ("v6-history", """
            ALTER TABLE sync_state ADD COLUMN chain_head bigint, ADD COLUMN blocks_total bigint NOT NULL DEFAULT 0;
            CREATE TABLE indexed_block (number bigint PRIMARY KEY, hash text NOT NULL, parent_hash text NOT NULL, timestamp bigint NOT NULL);
            CREATE TABLE indexed_transaction (
                hash text PRIMARY KEY, block bigint NOT NULL, tx_index bigint NOT NULL, sender text NOT NULL, recipient text,
                value_wei text NOT NULL, fee_wei text NOT NULL, status text NOT NULL);
            CREATE INDEX indexed_transaction_by_block ON indexed_transaction (block);
            CREATE TABLE activity (
                address text NOT NULL, block bigint NOT NULL, tx_index bigint NOT NULL, seq bigint NOT NULL,
                hash text NOT NULL, time bigint NOT NULL, type text NOT NULL, direction text NOT NULL,
                counterparty text, amount_wei text NOT NULL, token_symbol text NOT NULL, token_address text,
                token_decimals bigint NOT NULL, nft_contract text, token_id text, fee_wei text,
                status text NOT NULL, reason text, method text, source text NOT NULL DEFAULT 'node',
                PRIMARY KEY (address, block, tx_index, seq));
            CREATE INDEX activity_by_block ON activity (block);
            CREATE TABLE nft_transfer (
                contract text NOT NULL, token_id text NOT NULL, block bigint NOT NULL, log_index bigint NOT NULL,
                sender text NOT NULL, receiver text NOT NULL, token_uri text, hash text NOT NULL, time bigint NOT NULL,
                PRIMARY KEY (contract, token_id, block, log_index));
            CREATE INDEX nft_transfer_by_receiver ON nft_transfer (receiver);
            CREATE INDEX nft_transfer_by_block ON nft_transfer (block);
            CREATE TABLE watched_address (
                address text PRIMARY KEY, source text NOT NULL, added_at double precision NOT NULL, backfilled_at double precision);
            CREATE INDEX tracked_transaction_by_update ON tracked_transaction (updated_at);
            """),
        // SQLite numbers the change log by rowid, in commit order (one writer at a time). An
        // identity column is numbered at insert, not at commit: with two writers, change 8 could
        // commit (and be read, and the reader's cursor pass it) before change 7, which would then
        // never be read. So every write to a change log first takes one transaction-level advisory
        // lock (`changeLogLock`, shared by both logs so no two writers wait on each other in
        // opposite orders): numbers are then given in commit order, as in SQLite. (Changed before
        // any install used these migrations.) The trigger also notifies `tracked_change` at commit.
        ("v7-tracked-change-log", """
            DROP INDEX tracked_transaction_by_update;
            CREATE TABLE tracked_change (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, hash text NOT NULL);
            CREATE FUNCTION tracked_transaction_state_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                last bigint;
            BEGIN
                PERFORM pg_advisory_xact_lock(7310);
                INSERT INTO tracked_change (hash) VALUES (NEW.hash) RETURNING seq INTO last;
                DELETE FROM tracked_change WHERE seq <= last - 100000;
                PERFORM pg_notify('tracked_change', NEW.hash);
                RETURN NULL;
            END $$;
            CREATE TRIGGER tracked_transaction_state_changed AFTER UPDATE OF state ON tracked_transaction
                FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state) EXECUTE FUNCTION tracked_transaction_state_changed();
            """),
        ("v8-tracked-unknown", """
            ALTER TABLE tracked_transaction ADD COLUMN unknown_client text;
            CREATE INDEX tracked_transaction_unknown ON tracked_transaction (unknown_client) WHERE unknown_client IS NOT NULL;
            CREATE INDEX tracked_transaction_pending ON tracked_transaction (state, created_at, hash);
            """),
        ("v9-nft-uploads", """
            CREATE TABLE nft_upload (
                address text NOT NULL, metadata_cid text NOT NULL, image_cid text NOT NULL, bytes bigint NOT NULL,
                uploaded_at double precision NOT NULL, minted_at double precision, pinned_at double precision,
                pin_retry_at double precision, removed_at double precision,
                PRIMARY KEY (address, metadata_cid));
            CREATE INDEX nft_upload_by_time ON nft_upload (address, uploaded_at);
            CREATE INDEX nft_upload_unminted ON nft_upload (uploaded_at) WHERE minted_at IS NULL AND removed_at IS NULL;
            CREATE INDEX nft_transfer_by_uri ON nft_transfer (token_uri) WHERE token_uri IS NOT NULL;
            """),
        ("v10-retention", """
            ALTER TABLE watched_address ADD COLUMN expires_at double precision, ADD COLUMN lapsed_after bigint, ADD COLUMN gap_from bigint;
            UPDATE watched_address SET expires_at = extract(epoch FROM now())::double precision + 604800 WHERE source = 'lookup';
            CREATE INDEX conversation_by_update ON conversation (updated_at);
            CREATE INDEX cache_by_time ON cache (stored_at);
            CREATE INDEX tracked_transaction_settled ON tracked_transaction (updated_at) WHERE state != 'pending';
            """),
        ("v11-address-change-log", """
            CREATE TABLE address_change (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, address text NOT NULL, kind text NOT NULL, hash text);
            CREATE INDEX address_change_by_address ON address_change (address, seq);
            CREATE FUNCTION address_changed(changed text, kind text, hash text) RETURNS void LANGUAGE plpgsql AS $$
            DECLARE
                last bigint;
            BEGIN
                PERFORM pg_advisory_xact_lock(7310);
                INSERT INTO address_change (address, kind, hash) VALUES (changed, kind, hash) RETURNING seq INTO last;
                DELETE FROM address_change WHERE seq <= last - 100000;
                PERFORM pg_notify('address_change', changed);
            END $$;
            CREATE FUNCTION activity_added() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM address_changed(NEW.address, 'activity', NEW.hash); RETURN NULL; END $$;
            CREATE FUNCTION activity_removed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM address_changed(OLD.address, 'activity', OLD.hash); RETURN NULL; END $$;
            CREATE FUNCTION tracked_transaction_state_changed_for_sender() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM address_changed(NEW.sender, 'transaction', NEW.hash); RETURN NULL; END $$;
            CREATE TRIGGER activity_added AFTER INSERT ON activity FOR EACH ROW EXECUTE FUNCTION activity_added();
            CREATE TRIGGER activity_removed AFTER DELETE ON activity FOR EACH ROW EXECUTE FUNCTION activity_removed();
            CREATE TRIGGER tracked_transaction_state_changed_for_sender AFTER UPDATE OF state ON tracked_transaction
                FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state AND NEW.sender IS NOT NULL)
                EXECUTE FUNCTION tracked_transaction_state_changed_for_sender();
            """),
        ("v12-alerts", """
            CREATE TABLE alert (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, address text NOT NULL, kind text NOT NULL, minimum_wei text, days bigint,
                webhook_url text, webhook_secret text, created_at double precision NOT NULL
            );
            CREATE INDEX alert_by_address ON alert (address);
            CREATE INDEX alert_by_kind ON alert (kind);
            CREATE TABLE alert_event (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, alert_id bigint NOT NULL, address text NOT NULL, kind text NOT NULL,
                event_key text NOT NULL, hash text, amount_wei text, token_symbol text, token_decimals bigint, message text NOT NULL,
                created_at double precision NOT NULL, delivery text NOT NULL, attempts bigint NOT NULL DEFAULT 0, next_attempt_at double precision,
                last_error text, delivered_at double precision, UNIQUE (alert_id, event_key)
            );
            CREATE INDEX alert_event_by_address ON alert_event (address, id);
            CREATE INDEX alert_event_due ON alert_event (next_attempt_at) WHERE delivery = 'pending';
            CREATE INDEX alert_event_by_time ON alert_event (created_at);
            CREATE TABLE alert_cursor (name text PRIMARY KEY, seq bigint NOT NULL);
            CREATE FUNCTION alert_event_added() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM address_changed(NEW.address, 'alert', NULL); RETURN NULL; END $$;
            CREATE TRIGGER alert_event_added AFTER INSERT ON alert_event FOR EACH ROW EXECUTE FUNCTION alert_event_added();
            """),
        ("v13-tokens", """
            CREATE TABLE token_metadata (
                address text PRIMARY KEY, name text NOT NULL, symbol text NOT NULL, decimals bigint NOT NULL, read_at double precision NOT NULL
            );
            CREATE TABLE added_token (address text NOT NULL, token text NOT NULL, added_at double precision NOT NULL, PRIMARY KEY (address, token));
            CREATE TABLE token_approval (
                owner text NOT NULL, token text NOT NULL, spender text NOT NULL, block bigint NOT NULL, log_index bigint NOT NULL,
                value_wei text NOT NULL, hash text NOT NULL, time bigint NOT NULL,
                PRIMARY KEY (owner, token, spender, block, log_index)
            );
            CREATE INDEX token_approval_by_block ON token_approval (block);
            """),
        ("v14-alert-start", "ALTER TABLE alert ADD COLUMN starts_after bigint NOT NULL DEFAULT 0"),
        ("v15-activity-staking", "ALTER TABLE activity ADD COLUMN validator bigint; ALTER TABLE activity ADD COLUMN request_id bigint"),
        ("v16-replaced-transactions", """
            ALTER TABLE tracked_transaction ADD COLUMN replaced_by text;
            """),
        // Uploaded NFT content, shared by the hosts: an object (its root's CIDv1 in base32, as
        // the folder store names it; its type, size and block keys in order, comma-separated)
        // and its UnixFS blocks (each at most 256 KiB plus its framing).
        ("v17-content", """
            CREATE TABLE content_object (
                root text PRIMARY KEY, content_type text NOT NULL, size bigint NOT NULL, blocks text NOT NULL, stored_at double precision NOT NULL
            );
            CREATE TABLE content_block (object text NOT NULL, key text NOT NULL, bytes bytea NOT NULL, PRIMARY KEY (object, key));
            """),
        // Each role's holder number (`ActiveRole`): raised by whoever takes the role; the role's
        // writes check it (FOR SHARE) in their transaction, so the old holder's pass cannot write
        // once the new one took over.
        ("v18-role-fence", "CREATE TABLE role_fence (role text PRIMARY KEY, holder bigint NOT NULL)"),
    ]

    /// The advisory lock key under which migrations are applied (any fixed number of ours).
    static let lockKey: Int64 = 0x536F_6E69_634D_6967  // "SonicMig"

    /// Applies the migrations `pool`'s database has not had yet, each in a transaction of its
    /// own holding `lockKey`, so several hosts starting at once apply each once. Each may take
    /// up to `timeout` seconds (waiting for another host's included).
    /// - Returns: the names of those applied now (none when the schema was current).
    /// - Throws: `PostgresError` of the statement that failed; that migration is rolled back.
    @discardableResult
    public static func migrate(_ pool: PostgresPool, timeout: Double = 300) async throws -> [String] {
        try await pool.transaction(timeout: timeout) { transaction in
            try await transaction.query("SELECT pg_advisory_xact_lock($1)", [.int(lockKey)])
            try await transaction.execute(script: "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
        }
        var applied: [String] = []
        for migration in all {
            let done = try await pool.transaction(timeout: timeout) { transaction in
                try await transaction.query("SELECT pg_advisory_xact_lock($1)", [.int(lockKey)])
                let seen = try await transaction.query("SELECT 1 FROM schema_migrations WHERE name = $1", [.text(migration.name)])
                guard seen.rows.isEmpty else { return false }
                try await transaction.execute(script: migration.sql)
                try await transaction.query("INSERT INTO schema_migrations (name) VALUES ($1)", [.text(migration.name)])
                return true
            }
            if done { applied.append(migration.name) }
        }
        return applied
    }
}
