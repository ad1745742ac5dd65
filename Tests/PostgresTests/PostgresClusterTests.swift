import Ethereum
import Foundation
import IPFS
import Logging
import Postgres
import SonicAPI
import SonicAlerts
@testable import SonicApp
import SonicChain
import SonicConfig
import SonicHTTP
import SonicStore
import SonicSync
import Synchronization
import TestSupport
import Testing

/// Several app hosts on one PostgreSQL database (here: several `App`s in one process, each with
/// its own pool, as separate sonic-fcgi processes have): a change committed through one host
/// wakes the requests parked on another (`ChangeListener`), also after its listening connection
/// dropped, and exactly one host's transaction watcher is active (`ActiveRole`).
@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable && ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"] != nil,
                                                  "needs SONIC_TEST_DATABASE_URL and SONIC_TEST_RPC_URL: scripts/run-tests.sh swift starts both"))
struct PostgresClusterTests {
    /// A host's answer to one request, whenever it comes.
    final class Answer: Sendable {
        private let value = Mutex<Response?>(nil)
        func put(_ response: Response) { value.withLock { $0 = response } }
        var response: Response? { value.withLock { $0 } }
    }

    struct Hosts {
        let name: String
        let folder: String
        let apps: [App]

        func stop() async throws {
            for app in apps { app.stop() }
            try? FileManager.default.removeItem(atPath: folder)
            try await PostgresSchemaTests.drop(name)
        }

        /// The database of host `index` (each host has its own pool).
        func store(_ index: Int) -> PostgresStore { apps[index].database as! PostgresStore }
    }

    /// `count` hosts on one fresh database, started (listening, watchers running).
    static func hosts(_ count: Int, _ prefix: String) async throws -> Hosts {
        let (name, admin) = try await PostgresSchemaTests.freshDatabase(prefix)
        admin.stop()
        let folder = try PostgresCopyTests.scratchFolder(prefix)
        var apps: [App] = []
        for host in 0..<count {
            let environment = [
                "SONIC_DATABASE_URL": TestDatabase.url(database: name), "SONIC_DB_PATH": folder + "/unused.sqlite",
                "SONIC_RPC_URLS": ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"]!, "SONIC_DEPLOYMENTS_DIR": folder,
                "SONIC_RATE_LIMIT_PER_MINUTE": "0", "SONIC_KNOWLEDGE_DIR": folder, "SONIC_FCGI_THREADS": "2",
                "SONIC_CONTENT_DIR": folder + "/content-\(host)",
            ]
            let app = App(configuration: try Configuration(environment: environment))
            app.start()
            apps.append(app)
        }
        // Each host has read where the change logs end before anything is written.
        for app in apps { #expect(eventually(within: 10) { (app.changes?.passCount ?? 0) >= 1 }) }
        return Hosts(name: name, folder: folder, apps: apps)
    }

    static func json(_ response: Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// A transaction tracked through the first host, and a long-poll on its state parked on the second.
    static func trackOnFirstAndWaitOnSecond(_ hosts: Hosts, _ label: String) async throws -> (Hash32, Answer) {
        let hash = Hash32.keccak(Array(label.utf8))
        try await hosts.store(0).track(TrackedTransaction(hash: hash, sender: nil, nonce: nil))
        let answer = Answer()
        API(app: hosts.apps[1]).handle(Request(method: .get, path: "/api/tx/\(hash)", query: "wait=30&since=pending", remoteAddress: "10.1.1.1"),
                                       respond: answer.put)
        #expect(eventually { hosts.apps[1].waiters.count == 1 }, "parked on the second host")
        #expect(answer.response == nil)
        return (hash, answer)
    }

    @Test func aStateChangeWrittenThroughOneHostWakesALongPollParkedOnAnother() async throws {
        let hosts = try await Self.hosts(2, "wake")
        let first = hosts.store(0)
        let (hash, answer) = try await Self.trackOnFirstAndWaitOnSecond(hosts, "cluster wake")

        var settled = try #require(try await first.trackedTransaction(hash))
        settled.state = .confirmed
        settled.block = 4242
        let written = Date()
        try await first.update(settled)
        #expect(eventually(within: 10) { answer.response != nil }, "the second host's long-poll is answered")
        let seconds = Date().timeIntervalSince(written)
        let response = try #require(answer.response)
        #expect(response.status == 200 && Self.json(response)["status"] as? String == "confirmed" && Self.json(response)["block"] as? Int == 4242)
        #expect(hosts.apps[1].waiters.count == 0)
        // Woken by the notification, not a poll: on PostgreSQL nothing reads the log on a timer.
        #expect(seconds < 2, "answered \(seconds) s after the commit")
        try await hosts.stop()
    }

    /// Long-polls on a transaction that is tracked already write nothing (on PostgreSQL each was
    /// an `INSERT … ON CONFLICT DO NOTHING` on the primary): a statement trigger counts the tries.
    @Test func longPollsOnATrackedTransactionWriteNothing() async throws {
        let hosts = try await Self.hosts(1, "quietpoll")
        let admin = try PostgresPool(url: TestDatabase.url(database: hosts.name), threadName: "pg-quietpoll")
        defer { admin.stop() }
        try await admin.execute(script: """
            CREATE TABLE insert_tries (n int NOT NULL);
            CREATE FUNCTION count_insert_tries() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO insert_tries VALUES (1); RETURN NULL; END $$;
            CREATE TRIGGER count_insert_tries BEFORE INSERT ON tracked_transaction FOR EACH STATEMENT EXECUTE FUNCTION count_insert_tries();
            """)
        let hash = Hash32.keccak(Array("quiet long-polls".utf8))
        try await hosts.store(0).track(TrackedTransaction(hash: hash, sender: nil, nonce: nil))
        #expect(try await admin.query("SELECT count(*) FROM insert_tries").scalar == .int(1), "the trigger counts the track")

        let answers = (0..<5).map { _ in Answer() }
        for (index, answer) in answers.enumerated() {
            API(app: hosts.apps[0]).handle(Request(method: .get, path: "/api/tx/\(hash)", query: "wait=30&since=pending", remoteAddress: "10.1.2.\(index)"),
                                           respond: answer.put)
        }
        #expect(eventually { hosts.apps[0].waiters.count == 5 }, "all parked")
        #expect(try await admin.query("SELECT count(*) FROM insert_tries").scalar == .int(1), "no long-poll tried an insert")

        var settled = try #require(try await hosts.store(0).trackedTransaction(hash))
        settled.state = .confirmed
        try await hosts.store(0).update(settled)
        #expect(eventually(within: 10) { answers.allSatisfy { $0.response != nil } }, "and each is answered on the change")
        #expect(answers.allSatisfy { Self.json($0.response!)["status"] as? String == "confirmed" })
        try await hosts.stop()
    }

    /// The listening connection dies and a change is committed before it is back: the catch-up
    /// read after the reconnect wakes the request all the same.
    @Test func aChangeCommittedWhileTheListenerWasAwayIsCaughtUp() async throws {
        let hosts = try await Self.hosts(2, "catchup")
        let (hash, answer) = try await Self.trackOnFirstAndWaitOnSecond(hosts, "cluster catch-up")

        // In one statement on the server: end the second host's listening connection, wait
        // until its backend is gone, settle the transaction and commit: the NOTIFY of the commit
        // reaches no listener of the second host, which reconnects 50 ms after it saw the drop.
        let listener = try #require(await hosts.apps[1].changes?.backendPID())
        let admin = try PostgresPool(url: TestDatabase.url(database: hosts.name), threadName: "pg-catchup")
        defer { admin.stop() }
        try await admin.execute(script: """
            DO $$ BEGIN
                PERFORM pg_terminate_backend(\(listener));
                LOOP
                    PERFORM pg_stat_clear_snapshot();
                    EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = \(listener));
                    PERFORM pg_sleep(0.001);
                END LOOP;
                UPDATE tracked_transaction SET state = 'failed', reason = 'out of gas', block = 77 WHERE hash = '\(hash)';
            END $$
            """)
        #expect(eventually(within: 10) { answer.response != nil }, "answered after the listener reconnected")
        let response = try #require(answer.response)
        #expect(Self.json(response)["status"] as? String == "failed" && Self.json(response)["block"] as? Int == 77)
        let again = await hosts.apps[1].changes?.backendPID()
        #expect(again != nil && again != listener, "listening again on a new connection")
        try await hosts.stop()
    }

    /// The live dashboard's feed: activity the indexer (here: a backfill through the first host)
    /// records for an address wakes the page waiting on the second host, whose cached balance of
    /// the address is forgotten.
    @Test func activityRecordedThroughOneHostWakesTheFeedOnAnother() async throws {
        let hosts = try await Self.hosts(2, "feed")
        let (first, second) = (hosts.store(0), API(app: hosts.apps[1]))
        let alice = try Address("0x00000000000000000000000000000000000a11ce")
        let start = Answer()
        second.handle(Request(method: .get, path: "/api/feed/\(alice.checksummed)", remoteAddress: "10.1.1.3"), respond: start.put)
        #expect(eventually { start.response != nil })
        let started = try #require(start.response)
        let cursor = try #require(Self.json(started)["cursor"] as? Int)
        let waiting = Answer()
        second.handle(Request(method: .get, path: "/api/feed/\(alice.checksummed)", query: "after=\(cursor)&wait=30", remoteAddress: "10.1.1.3"),
                      respond: waiting.put)
        #expect(eventually { hosts.apps[1].waiters.count == 1 })

        let hash = Hash32.keccak(Array("cluster feed".utf8))
        _ = try await first.insertBackfilled([
            ActivityEntry(address: alice, block: 9, txIndex: 0, seq: -1, hash: hash, time: 1_795_772_000, kind: .transfer,
                          direction: .incoming, counterparty: nil, amountWei: 1_000_000_000_000_000_000, tokenSymbol: "S",
                          tokenDecimals: 18, status: .confirmed),
        ], source: "test")
        #expect(eventually(within: 10) { waiting.response != nil })
        let woken = try #require(waiting.response)
        let changes = Self.json(woken)["changes"] as? [[String: Any]]
        #expect(changes?.map { $0["hash"] as? String } == [hash.description])
        try await hosts.stop()
    }

    /// An NFT uploaded through one host is served by another (the content is in the database,
    /// not a folder of the host that took the upload): the image byte for byte over several
    /// UnixFS blocks, under both CID versions, and its metadata pointing at it.
    @Test func contentUploadedThroughOneHostIsServedByAnother() async throws {
        let hosts = try await Self.hosts(2, "content")
        let gateway = API(app: hosts.apps[1])
        var image: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        image += (0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }  // three 256 KiB chunks
        image += [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        var upload = NFTService.Upload()
        upload.image = image[...]
        upload.name = Array("Shared picture".utf8)
        let owner = try Address("0x00000000000000000000000000000000000b0b00")
        let uploaded = try await hosts.apps[0].nft.upload(upload, by: owner)

        func fetch(_ cid: String) -> Response { gateway.handle(Request(method: .get, path: "/ipfs/\(cid)", remoteAddress: "10.1.1.4")) }
        let served = fetch(uploaded.imageCID.description)
        #expect(served.status == 200 && served.headers[.contentType] == "image/png")
        #expect(Array(served.body) == image, "the same bytes, from the other host")
        #expect(Array(fetch(uploaded.imageCID.v1.description).body) == image, "the CIDv1 of the same root")
        let metadata = fetch(uploaded.metadataCID.description)
        #expect(metadata.status == 200 && Self.json(metadata)["image"] as? String == "ipfs://\(uploaded.imageCID)")
        #expect(Self.json(metadata)["name"] as? String == "Shared picture")
        #expect(!FileManager.default.fileExists(atPath: hosts.folder + "/content-0/objects"), "no folder of the host's own")
        #expect(fetch(UnixFSImporter().importFile([1, 2, 3]).root.description).status == 404, "stored nowhere")

        // A damaged block is an error, never other bytes.
        let admin = try PostgresPool(url: TestDatabase.url(database: hosts.name), threadName: "pg-content")
        defer { admin.stop() }
        try await admin.query("UPDATE content_block SET bytes = overlay(bytes placing '\\x00'::bytea from 100) WHERE object = $1 AND key <> object",
                              [.text(ContentStore.key(uploaded.imageCID))])
        #expect(fetch(uploaded.imageCID.description).status == 503)

        // Removed (an upload never minted): gone for every host.
        let store = DatabaseContentStore(repository: hosts.store(1))
        #expect(try await store.remove(uploaded.metadataCID))
        #expect(fetch(uploaded.metadataCID.description).status == 404)
        #expect(try await !store.remove(uploaded.metadataCID))
        try await hosts.stop()
    }

    /// Exactly one host's transaction watcher is active; when its host goes, another takes over.
    @Test func oneWatcherIsActiveAcrossHostsAndAnotherTakesOverWhenItsHostStops() async throws {
        let hosts = try await Self.hosts(3, "watchers")
        func active() -> [Int] { hosts.apps.indices.filter { hosts.apps[$0].watcher.role?.holdsLock == true } }
        #expect(eventually(within: 10) { active().count == 1 })
        usleep(1_500_000)  // the others have asked again (once a second) and stand by
        let holder = try #require(active().first)
        #expect(active() == [holder])

        hosts.apps[holder].stop()  // the lock is released with the host
        #expect(eventually(within: 10) { active().count == 1 && active() != [holder] }, "another host's watcher took over")
        try await hosts.stop()
    }

    /// The active sonic-sync's lock connection dies and a standby takes the index over: the
    /// first one's next batch is refused (`.standby`) instead of writing beside it; once the
    /// other stops, it takes the lock again and indexes on.
    @Test func anIndexerThatLostItsLockStandsByInsteadOfWritingBesideTheNewOne() async throws {
        let (name, admin) = try await PostgresSchemaTests.freshDatabase("indexers")
        defer { admin.stop() }
        let folder = try PostgresCopyTests.scratchFolder("indexers")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = try Configuration(environment: [
            "SONIC_DATABASE_URL": TestDatabase.url(database: name), "SONIC_DB_PATH": folder + "/unused.sqlite",
            "SONIC_RPC_URLS": ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"]!, "SONIC_DEPLOYMENTS_DIR": folder, "SONIC_INDEX_ALL": "1",
        ])
        let first = try SyncProcess(configuration: configuration, logger: Logger(label: "test"), standbyInterval: 0.05)
        _ = try first.step()
        // Who holds the indexer's lock, as the server sees it.
        let holder = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1"
        let pid = try #require(try await admin.query(holder, [.int(SyncProcess.indexerLock)]).rows.first?.values.first)
        #expect(try await admin.query("SELECT pg_terminate_backend(\(pid)::int, 5000)").scalar == .bool(true))
        let second = try SyncProcess(configuration: configuration, logger: Logger(label: "test"), standbyInterval: 0.05)
        do {
            _ = try first.step()
            Issue.record("a batch was indexed without the lock")
        } catch {
            guard case .standby = error else { Issue.record("\(error)"); return }
        }
        _ = try second.step()

        second.close()
        var resumed = false
        for _ in 0..<100 where !resumed {
            resumed = (try? first.step()) != nil
            if !resumed { usleep(20_000) }
        }
        #expect(resumed, "the first takes the index back once the second is gone")
        first.close()
        try await PostgresSchemaTests.drop(name)
    }

    /// An alert runner whose role another sonic-sync holds does nothing (no alert evaluated,
    /// so none delivered twice); it starts once the holder gives the role up.
    @Test func onlyTheAlertRunnerHoldingItsRoleWorks() async throws {
        let (name, admin) = try await PostgresSchemaTests.freshDatabase("alerts")
        admin.stop()
        let url = TestDatabase.url(database: name)
        let mine = try await PostgresStore.open(url: url, threadName: "pg-alerts-a"), theirs = try await PostgresStore.open(url: url, threadName: "pg-alerts-b")
        let holder = ActiveRole(.alerts, store: theirs)
        #expect(await holder.isActive())
        let transport = CurlMultiTransport(connectTimeout: 1, totalTimeout: 2, maxInFlight: 2, maxQueued: 8, threadName: "curl-alerts-test")
        let runner = AlertRunner(engine: AlertEngine(repository: mine), deliverer: WebhookDeliverer(repository: mine, transport: transport, allowPrivate: false),
                                 premiumEnd: nil, interval: 0.05, role: ActiveRole(.alerts, store: mine, retryEvery: 0.05), logger: Logger(label: "test"))
        usleep(500_000)
        #expect(try await mine.alertCursor() == nil, "standing by: nothing evaluated")

        holder.stop()
        var started = false
        for _ in 0..<200 where !started {
            started = try await mine.alertCursor() != nil
            if !started { usleep(10_000) }
        }
        #expect(started, "the runner took the role over and evaluated")
        runner.stop()
        transport.stop()
        mine.close()
        theirs.close()
        try await PostgresSchemaTests.drop(name)
    }

    /// The holder's connection dies (its host is gone; it never asks again): a standby takes the
    /// role at its next try, and the old holder, asking later, stands by.
    @Test func aStandbyTakesTheRoleWhenTheHoldersConnectionDies() async throws {
        let (name, admin) = try await PostgresSchemaTests.freshDatabase("roles")
        defer { admin.stop() }
        let url = TestDatabase.url(database: name)
        let first = try await PostgresStore.open(url: url, threadName: "pg-role-a"), second = try await PostgresStore.open(url: url, threadName: "pg-role-b")
        let changes = Mutex<[String]>([])
        let a = ActiveRole(.alerts, store: first, retryEvery: 0.05) { active in changes.withLock { $0.append("a \(active)") } }
        let b = ActiveRole(.alerts, store: second, retryEvery: 0.05) { active in changes.withLock { $0.append("b \(active)") } }
        #expect(await a.isActive())
        #expect(!(await b.isActive()))
        #expect(await a.isActive(), "held: asked again, still active")
        let other = ActiveRole(.transactionWatcher, store: second, retryEvery: 0.05)
        #expect(await other.isActive(), "each role has a lock of its own")

        let pid = try #require(a.backendPID)
        #expect(try await admin.query("SELECT pg_terminate_backend($1::int, 5000)", [.int(Int64(pid))]).scalar == .bool(true))
        var taken = false
        for _ in 0..<200 where !taken {
            taken = await b.isActive()
            if !taken { usleep(10_000) }
        }
        #expect(taken, "the standby took over")
        #expect(!(await a.isActive()), "the old holder stands by")
        #expect(changes.withLock { $0 } == ["a true", "b true", "a false"])

        b.stop()
        var back = false
        for _ in 0..<200 where !back {
            back = await a.isActive()
            if !back { usleep(10_000) }
        }
        #expect(back, "released on stop: the first takes it again")
        a.stop()
        other.stop()
        first.close()
        second.close()
        try await PostgresSchemaTests.drop(name)
    }
}

