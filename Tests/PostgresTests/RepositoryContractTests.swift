import Ethereum
import Foundation
import Postgres
import SonicStore
import TestSupport
import Testing

/// The repositories' behaviour, the same on both engines: each test runs once on a SQLite file
/// (`Store`) and once on a new PostgreSQL database (`PostgresStore`), through the protocols the
/// services are given. An engine that answers differently fails here.
@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct RepositoryContractTests {
    typealias Repositories = SessionRepository & CacheRepository & ConversationRepository & KnowledgeRepository & TransactionRepository
        & DatabaseHealth & HistoryRepository & IndexRepository & UploadRepository & TokenRepository & AlertRepository & AddressChangeRepository

    enum Engine: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    static let alice = try! Address("0x00000000000000000000000000000000000a11ce")
    static let bob = try! Address("0x0000000000000000000000000000000000000b0b")

    /// A new, empty database of `engine`, given to `body` and removed afterwards.
    static func with(_ engine: Engine, _ body: (any Repositories) async throws -> Void) async throws {
        switch engine {
        case .sqlite:
            let folder = try PostgresCopyTests.scratchFolder("contract")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await body(try Store(path: folder + "/sonic.sqlite"))
        case .postgres:
            let (name, admin) = try await PostgresSchemaTests.freshDatabase("contract")
            admin.stop()
            let store = try await PostgresStore.open(url: TestDatabase.url(database: name), threadName: "pg-contract")
            do { try await body(store) } catch {
                store.close()
                try await PostgresSchemaTests.drop(name)
                throw error
            }
            store.close()
            try await PostgresSchemaTests.drop(name)
        }
    }

    @Test(arguments: Engine.allCases) func aNonceIsUsedOnceAndASessionLastsUntilItExpires(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            let now = Date()
            try await store.saveNonce("n-1", expiresAt: now.addingTimeInterval(60))
            try await store.saveNonce("n-old", expiresAt: now.addingTimeInterval(-1))
            #expect(try await store.consumeNonce("n-1", at: now))
            #expect(try await !store.consumeNonce("n-1", at: now), "a nonce is used once")
            #expect(try await !store.consumeNonce("n-old", at: now), "an expired nonce is refused")
            #expect(try await !store.consumeNonce("never-issued", at: now))

            try await store.createSession(tokenHash: "t-1", address: Self.alice, csrfToken: "csrf-1", expiresAt: now.addingTimeInterval(3_600))
            let session = try #require(try await store.session(tokenHash: "t-1", at: now))
            #expect(session.address == Self.alice && session.csrfToken == "csrf-1")
            #expect(abs(session.expiresAt.timeIntervalSince(now.addingTimeInterval(3_600))) < 0.001)
            #expect(try await store.session(tokenHash: "t-1", at: now.addingTimeInterval(3_601)) == nil, "expired")
            #expect(try await store.session(tokenHash: "t-2", at: now) == nil)
            try await store.deleteSession(tokenHash: "t-1")
            #expect(try await store.session(tokenHash: "t-1", at: now) == nil, "signed out")
            try await store.ping()
        }
    }

    @Test(arguments: Engine.allCases) func theCacheKeepsBytesAndForgetsByPrefix(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            let at = Date(timeIntervalSince1970: 1_700_000_000.5)
            try await store.cache("balance:devnet:0xa:", [0, 255, 1], at: at)
            try await store.cache("balance:devnet:0xa:SUSD", [2], at: at)
            try await store.cache("balance:devnet:0xb:", [3], at: at)
            try await store.cache("balance:devnet:0xa:", [9, 9], at: at.addingTimeInterval(1))
            let cached = try #require(try await store.cached("balance:devnet:0xa:"))
            #expect(cached.value == [9, 9] && cached.storedAt == at.addingTimeInterval(1), "replaced")
            try await store.invalidate(prefix: "balance:devnet:0xa:")
            #expect(try await store.cached("balance:devnet:0xa:") == nil)
            #expect(try await store.cached("balance:devnet:0xa:SUSD") == nil)
            #expect(try await store.cached("balance:devnet:0xb:")?.value == [3], "another address's stays")
            #expect(try await store.cached("missing") == nil)
        }
    }

    @Test(arguments: Engine.allCases) func aConversationIsItsOwners(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            try await store.saveConversation("c1", address: Self.alice.lowercased, state: "{\"step\":1}")
            try await store.saveConversation("c1", address: Self.alice.lowercased, state: "{\"step\":2}")
            try await store.saveConversation("c2", address: nil, state: "{}")
            #expect(try await store.conversationState("c1", address: Self.alice.lowercased) == "{\"step\":2}")
            #expect(try await store.conversationState("c1", address: Self.bob.lowercased) == nil, "someone else's")
            #expect(try await store.conversationState("c1", address: nil) == nil)
            #expect(try await store.conversationState("c2", address: nil) == "{}")
            #expect(try await store.conversationState("c3", address: nil) == nil)
        }
    }

    @Test(arguments: Engine.allCases) func knowledgeIsFoundByWordsAndTheirBeginnings(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            try await store.loadKnowledge([
                (slug: "fees", title: "Fees on Sonic", body: "Every transaction pays a fee in S: gas used times the gas price."),
                (slug: "staking", title: "Staking", body: "Delegate S to a validator through the SFC and claim rewards."),
                (slug: "wallets", title: "Wallets", body: "Add the Sonic network to your wallet; the chain id is 146."),
            ])
            #expect(try await store.searchKnowledge(["staking"], limit: 3).map(\.slug) == ["staking"])
            #expect(try await store.searchKnowledge(["deleg"], limit: 3).map(\.slug) == ["staking"], "a word's beginning")
            #expect(try await store.searchKnowledge(["fees", "wallet"], limit: 3).map(\.slug).sorted() == ["fees", "wallets"], "any of the words")
            #expect(try await store.searchKnowledge(["a", "?"], limit: 3).isEmpty, "nothing to search with")
            #expect(try await store.searchKnowledge(["bridge"], limit: 3).isEmpty)
            try await store.loadKnowledge([(slug: "only", title: "Only", body: "validator")])
            #expect(try await store.searchKnowledge(["validator"], limit: 3).map(\.slug) == ["only"], "replaced whole")
        }
    }

    @Test(arguments: Engine.allCases) func trackedTransactionsChangeAndAreLogged(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let hashes = (0..<5).map { Hash32.keccak([UInt8($0)]) }
            for (index, hash) in hashes.enumerated() {
                try await store.track(TrackedTransaction(hash: hash, sender: Self.alice, nonce: UInt64(index), createdAt: start.addingTimeInterval(Double(index % 2)),
                                                          updatedAt: start))
            }
            #expect(try await store.lastTrackedChange() == 0, "tracking is not a change")
            // Pages of pending ones in (time, hash) order, each once.
            var seen: [Hash32] = []
            var position: TrackedTransaction.Position?
            while true {
                let page = try await store.pendingTransactions(after: position, limit: 2)
                if page.isEmpty { break }
                seen += page.map(\.hash)
                position = page.last?.position
            }
            let expected = hashes.enumerated().sorted { ($0.offset % 2, $0.element.description) < ($1.offset % 2, $1.element.description) }.map(\.element)
            #expect(seen == expected)

            var settled = try #require(try await store.trackedTransaction(hashes[0]))
            settled.state = .confirmed
            settled.block = 7
            settled.gasUsed = 21_000
            settled.feeWei = 21_000_000_000_000
            settled.updatedAt = start.addingTimeInterval(5)
            try await store.update(settled)
            try await store.track(TrackedTransaction(hash: hashes[0], sender: Self.alice, nonce: 0))
            let read = try #require(try await store.trackedTransaction(hashes[0]))
            #expect(read.state == .confirmed && read.block == 7 && read.gasUsed == 21_000 && read.feeWei == 21_000_000_000_000, "tracking again keeps the state")
            let (last, changes) = try await store.trackedChanges(after: 0)
            #expect(last == (try await store.lastTrackedChange()) && last > 0)
            #expect(changes.map(\.hash) == [hashes[0]] && changes.first?.state == .confirmed)
            #expect(try await store.trackedChanges(after: last).changes.isEmpty)
            #expect(try await store.trackedCounts() == [.pending: 4, .confirmed: 1])
            #expect(try await store.trackedTransaction(.keccak([99])) == nil)
        }
    }

    @Test(arguments: Engine.allCases) func oneClientMayTrackFewUnknownHashes(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            func unknown(_ byte: UInt8, client: String) -> TrackedTransaction {
                var transaction = TrackedTransaction(hash: .keccak([byte]), sender: nil, nonce: nil)
                transaction.unknownClient = client
                return transaction
            }
            #expect(try await store.trackUnknown(unknown(1, client: "10.0.0.1"), limit: 2))
            #expect(try await store.trackUnknown(unknown(2, client: "10.0.0.1"), limit: 2))
            #expect(try await !store.trackUnknown(unknown(3, client: "10.0.0.1"), limit: 2), "the third is refused")
            #expect(try await store.trackUnknown(unknown(1, client: "10.0.0.1"), limit: 2), "one already tracked is fine")
            #expect(try await store.trackUnknown(unknown(4, client: "10.0.0.2"), limit: 2), "another client's own count")
            try await store.markKnown(.keccak([1]), sender: Self.token, nonce: 4)
            #expect(try await store.trackUnknown(unknown(3, client: "10.0.0.1"), limit: 2), "a hash the node knows no longer counts")
            let known = try await store.trackedTransaction(.keccak([1]))
            #expect(known?.unknownClient == nil && known?.sender == Self.token && known?.nonce == 4, "its sender and nonce learned")
        }
    }

    @Test(arguments: Engine.allCases) func aReplacedTransactionNamesItsReplacementAndKeepsItsSender(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            try await store.track(TrackedTransaction(hash: .keccak([7]), sender: Self.token, nonce: 3))
            try await store.markKnown(.keccak([7]), sender: Self.router, nonce: 9)
            var replaced = try #require(try await store.trackedTransaction(.keccak([7])))
            #expect(replaced.sender == Self.token && replaced.nonce == 3, "a known sender and nonce are kept")
            replaced.state = .cancelled
            replaced.replacedBy = .keccak([8])
            try await store.update(replaced)
            let read = try #require(try await store.trackedTransaction(.keccak([7])))
            #expect(read.state == .cancelled && read.replacedBy == .keccak([8]) && read.isFinal)
            let (_, changes) = try await store.trackedChanges(after: 0)
            #expect(changes.map(\.replacedBy) == [.keccak([8])], "the change log carries it to the waiters")
        }
    }

    static let token = try! Address("0x00000000000000000000000000000000000f00d0")
    static let router = try! Address("0x000000000000000000000000000000000000a0a0")
    static let collection = try! Address("0x00000000000000000000000000000000000c0c0c")
    static let zero = try! Address("0x0000000000000000000000000000000000000000")

    /// Blocks 1…`count` at 1 day apart: in each, Alice sends Bob 1 S (fee 21 gwei-ish) in
    /// transaction 0, and receives 2 FOO tokens in transaction 1; block 2 mints Bob an NFT and
    /// Alice allows the router 5 FOO, block 3 allows it 0 (a revoke).
    static func batch(_ blocks: ClosedRange<UInt64>, head: UInt64) -> IndexBatch {
        var batch = IndexBatch(chainHead: head)
        for number in blocks {
            let time = 1_800_000_000 + number * 86_400
            batch.blocks.append(IndexedBlock(number: number, hash: .keccak([UInt8(number)]), parentHash: .keccak([UInt8(number - 1)]), timestamp: time))
            let send = Hash32.keccak([UInt8(number), 0]), receive = Hash32.keccak([UInt8(number), 1])
            batch.transactions.append(IndexedTransaction(hash: send, block: number, index: 0, sender: alice, recipient: bob, valueWei: 1_000_000_000_000_000_000,
                                                         feeWei: 21_000, gasUsed: 21_000, succeeded: true, reason: nil))
            batch.entries += [
                ActivityEntry(address: alice, block: number, txIndex: 0, seq: 0, hash: send, time: time, kind: .transfer, direction: .outgoing,
                              counterparty: bob, amountWei: 1_000_000_000_000_000_000, tokenSymbol: "S", tokenDecimals: 18, feeWei: 21_000, status: .confirmed),
                ActivityEntry(address: bob, block: number, txIndex: 0, seq: 0, hash: send, time: time, kind: .transfer, direction: .incoming,
                              counterparty: alice, amountWei: 1_000_000_000_000_000_000, tokenSymbol: "S", tokenDecimals: 18, status: .confirmed),
                ActivityEntry(address: alice, block: number, txIndex: 1, seq: 0, hash: receive, time: time, kind: .tokenTransfer, direction: .incoming,
                              counterparty: bob, amountWei: 2_000_000, tokenSymbol: "Foo", tokenAddress: token, tokenDecimals: 6, status: .confirmed),
            ]
            if number == 2 {
                batch.nftTransfers.append(NFTTransferRecord(contract: collection, tokenID: 7, block: 2, logIndex: 0, sender: zero, receiver: bob,
                                                            tokenURI: "ipfs://bafymeta", hash: receive, time: time))
                batch.approvals.append(TokenApproval(owner: alice, token: token, spender: router, block: 2, logIndex: 1, valueWei: 5_000_000, hash: receive, time: time))
            }
            if number == 3 {
                batch.approvals.append(TokenApproval(owner: alice, token: token, spender: router, block: 3, logIndex: 1, valueWei: 0, hash: receive, time: time))
            }
        }
        return batch
    }

    @Test(arguments: Engine.allCases) func theIndexedChainReadsBackAsWrittenAndRollsBack(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            let sent = Hash32.keccak([UInt8(2), 0])
            try await store.track(TrackedTransaction(hash: sent, sender: Self.alice, nonce: 1))
            let at = Date(timeIntervalSince1970: 1_900_000_000)
            try await store.apply(Self.batch(1...3, head: 5), chainID: 31337, at: at)
            let state = try #require(try await store.indexerState(chainID: 31337))
            #expect(state.indexed == 3 && state.chainHead == 5 && state.blocksTotal == 3 && state.updatedAt == at)
            #expect(try await store.indexedBlock(2)?.hash == .keccak([2]))
            #expect(try await store.trackedTransaction(sent)?.state == .confirmed, "a tracked transaction mined in the batch")

            // Pages, newest first, and filters.
            let first = try await store.history(HistoryQuery(address: Self.alice, limit: 4))
            #expect(first.map(\.position) == [.init(block: 3, txIndex: 1, seq: 0), .init(block: 3, txIndex: 0, seq: 0),
                                              .init(block: 2, txIndex: 1, seq: 0), .init(block: 2, txIndex: 0, seq: 0)])
            let rest = try await store.history(HistoryQuery(address: Self.alice, limit: 4, after: first.last?.position))
            #expect(rest.map(\.block) == [1, 1])
            #expect(first[0].amountWei == 2_000_000 && first[0].tokenAddress == Self.token && first[1].feeWei == 21_000)
            #expect(try await store.history(HistoryQuery(address: Self.alice, direction: .incoming)).count == 3)
            #expect(try await store.history(HistoryQuery(address: Self.alice, token: .symbol("FOO"))).count == 3, "a symbol in any case")
            #expect(try await store.history(HistoryQuery(address: Self.alice, token: .address(Self.token))).count == 3)
            #expect(try await store.history(HistoryQuery(address: Self.alice, kind: .transfer)).count == 3)

            // What Bob owns, the movements of S, the days, the tokens and approvals.
            let owned = try await store.ownedNFTs(Self.bob)
            #expect(owned.map(\.tokenID) == [7] && owned.first?.tokenURI == "ipfs://bafymeta")
            let moves = try await store.nativeMovements(of: Self.alice, since: 1_800_000_000 + 2 * 86_400)
            #expect(moves.map(\.spent) == [1_000_000_000_000_021_000, 1_000_000_000_000_021_000] && moves.allSatisfy { $0.received == .zero })
            let days = try await store.dailyActivity(of: Self.alice, since: 0)
            #expect(days.map(\.received) == [1, 1, 1] && days.map(\.sent) == [1, 1, 1])
            #expect(try await store.tokensSeen(by: Self.alice, limit: 5) == [Self.token])
            let approvals = try await store.latestApprovals(of: Self.alice, limit: 5)
            #expect(approvals.map(\.valueWei) == [0], "the latest of the pair: the revoke")

            // A reorganisation above block 1: the rest is gone, the tracked transaction pending again.
            try await store.rollBack(above: 1, chainID: 31337, at: at)
            #expect(try await store.indexerState(chainID: 31337)?.indexed == 1)
            #expect(try await store.history(HistoryQuery(address: Self.alice)).map(\.block) == [1, 1])
            #expect(try await store.ownedNFTs(Self.bob).isEmpty)
            #expect(try await store.latestApprovals(of: Self.alice, limit: 5).isEmpty)
            #expect(try await store.trackedTransaction(sent)?.state == .pending)
            #expect(try await store.indexedBlock(2) == nil)
        }
    }

    @Test(arguments: Engine.allCases) func watchesLapseLeaveGapsAndBackfillsDoNotDuplicate(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            let now = Date(timeIntervalSince1970: 1_900_000_000)
            #expect(try await store.watch(Self.alice, source: "lookup", at: now, until: now.addingTimeInterval(60)))
            #expect(try await !store.watch(Self.alice, source: "lookup", at: now, until: now.addingTimeInterval(120)), "extended, not new")
            #expect(try await store.watch(Self.bob, source: "config", at: now, until: nil))
            #expect(try await store.watchedAddresses().all == [Self.alice, Self.bob])
            #expect(try await store.lapseWatches(at: now.addingTimeInterval(90), indexed: 40) == 0, "extended to 120 s")
            #expect(try await store.lapseWatches(at: now.addingTimeInterval(121), indexed: 41) == 1)
            #expect(try await store.watchedAddresses().all == [Self.bob])
            try await store.watch(Self.alice, source: "lookup", at: now.addingTimeInterval(200), until: nil)
            let gaps = try await store.watchGaps()
            #expect(gaps.map(\.address) == [Self.alice] && gaps.map(\.from) == [42])
            try await store.fillGap(Self.batch(1...1, head: 45), of: Self.alice, from: 42, through: 45, indexed: 45)
            #expect(try await store.watchGaps().isEmpty, "closed once it reaches the indexed block")
            #expect(try await store.history(HistoryQuery(address: Self.alice)).count == 2)

            // A backfilled copy of what the node decoded is skipped; a new one is added once.
            let known = Self.batch(1...1, head: 1).entries[0]
            var other = known
            other.hash = .keccak([77])
            other.block = 0
            #expect(try await store.insertBackfilled([known, other], source: "etherscan") == 1)
            #expect(try await store.insertBackfilled([other], source: "etherscan") == 0)
            #expect(Set(try await store.watchedAddresses().notBackfilled) == [Self.alice, Self.bob])
            try await store.markBackfilled(Self.alice, at: now)
            #expect(try await store.watchedAddresses().notBackfilled == [Self.bob])
        }
    }

    @Test(arguments: Engine.allCases) func uploadsCountTowardsQuotasUntilMintedOrRemoved(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            let now = Date(timeIntervalSince1970: 1_900_000_000)
            try await store.recordUpload(NFTUpload(address: Self.alice, metadataCID: "bafymeta", imageCID: "bafyimage", bytes: 1_000, uploadedAt: now))
            try await store.recordUpload(NFTUpload(address: Self.alice, metadataCID: "bafyother", imageCID: "bafyimage2", bytes: 500, uploadedAt: now))
            let usage = try await store.uploadUsage(of: Self.alice, since: now.addingTimeInterval(-10))
            #expect(usage.count == 2 && usage.bytes == 1_500 && usage.oldest == now)
            try await store.apply(Self.batch(1...2, head: 2), chainID: 31337, at: now)
            #expect(try await store.markMintedUploads(contract: Self.collection, at: now) == 1)
            #expect(try await store.markMintedUploads(contract: nil, at: now) == 0, "each once")
            let toPin = try await store.uploadsToPin(at: now, limit: 5)
            #expect(toPin.map(\.metadataCID) == ["bafymeta"] && toPin.map(\.imageCID) == ["bafyimage"])
            try await store.recordPinning("bafymeta", at: now, retryAt: now.addingTimeInterval(30))
            #expect(try await store.uploadsToPin(at: now, limit: 5).isEmpty, "until its retry time")
            try await store.recordPinning("bafymeta", at: now, retryAt: nil)
            #expect(try await store.uploadsToPin(at: now.addingTimeInterval(60), limit: 5).isEmpty, "pinned")
            #expect(try await store.expireUnmintedUploads(before: now.addingTimeInterval(1), at: now.addingTimeInterval(2)) == ["bafyimage2", "bafyother"])
            #expect(try await store.expireUnmintedUploads(before: now.addingTimeInterval(1), at: now.addingTimeInterval(2)).isEmpty)
        }
    }

    @Test(arguments: Engine.allCases) func tokensAreKeptAddedAndCounted(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            let now = Date(timeIntervalSince1970: 1_900_000_000)
            try await store.saveTokenMetadata([TokenMetadata(address: Self.token, name: "Foo Token", symbol: "FOO", decimals: 6, readAt: now)])
            try await store.saveTokenMetadata([TokenMetadata(address: Self.token, name: "Foo Token v2", symbol: "FOO", decimals: 6, readAt: now)])
            #expect(try await store.tokenMetadata([Self.token, Self.router])[Self.token]?.name == "Foo Token v2")
            #expect(try await store.tokenMetadata([]).isEmpty)
            #expect(try await store.addToken(Self.token, for: Self.alice, limit: 1, at: now))
            #expect(try await store.addToken(Self.token, for: Self.alice, limit: 1, at: now), "already there")
            #expect(try await !store.addToken(Self.router, for: Self.alice, limit: 1, at: now), "past the limit")
            #expect(try await store.addedTokens(of: Self.alice) == [Self.token])
            #expect(try await store.removeToken(Self.token, for: Self.alice))
            #expect(try await !store.removeToken(Self.token, for: Self.alice))
            #expect(try await store.addedTokens(of: Self.alice).isEmpty)
            // What only grows is trimmed by age.
            try await store.saveConversation("old", address: nil, state: "{}")
            try await store.cache("k", [1], at: now.addingTimeInterval(-100))
            let trimmed = try await store.trim(conversationsBefore: Date().addingTimeInterval(60), cacheBefore: now, trackedBefore: now)
            #expect(trimmed.conversations == 1 && trimmed.cached == 1)
        }
    }

    @Test(arguments: Engine.allCases) func alertsGoOffOnceAndTheirDeliveriesAreLogged(_ engine: Engine) async throws {
        try await Self.with(engine) { store in
            let now = Date(timeIntervalSince1970: 1_900_000_000)
            let id = try await store.createAlert(Alert(address: Self.alice, kind: .incoming, minimumWei: 5, webhookURL: "https://example.org/hook",
                                                      webhookSecret: "s3cret", createdAt: now))
            let other = try await store.createAlert(Alert(address: Self.bob, kind: .premiumEnding, days: 3, createdAt: now))
            #expect(id > 0 && other > id)
            #expect(try await store.alerts(of: Self.alice).map(\.id) == [id])
            #expect(try await store.alerts(of: Self.alice).first?.minimumWei == 5)
            #expect(try await store.alerts(ofKind: .premiumEnding).map(\.address) == [Self.bob])

            // The change log: activity and settled transactions of an address, in order.
            #expect(try await store.lastAddressChange() == 0)
            try await store.apply(Self.batch(1...1, head: 1), chainID: 31337, at: now)
            let all = try await store.addressChanges(after: 0, limit: 10)
            #expect(Set(all.map(\.address)) == [Self.alice, Self.bob] && all.count == 3)
            let alices = try await store.addressChanges(of: Self.alice, after: 0, limit: 10)
            #expect(alices.count == 2 && alices.allSatisfy { $0.kind == .activity })
            #expect(try await store.lastAddressChange() == all.last?.seq)
            let hash = try #require(alices.first?.hash)
            #expect(try await store.activity(of: Self.alice, hash: hash).count == 1)

            // An event once per key; due for delivery, then delivered.
            let event = AlertEvent(alertID: id, address: Self.alice, kind: .incoming, key: hash.description, hash: hash, amountWei: 7,
                                   tokenSymbol: "S", tokenDecimals: 18, message: "You received 7 wei", createdAt: now, delivery: .pending, nextAttemptAt: now)
            #expect(try await store.recordAlertEvent(event))
            #expect(try await !store.recordAlertEvent(event), "once per key")
            let lease = now.addingTimeInterval(35)
            let due = try await store.takeDueDeliveries(at: now, limit: 5, leaseUntil: lease)
            #expect(due.map(\.alert.webhookSecret) == ["s3cret"] && due.map(\.event.message) == ["You received 7 wei"])
            let eventID = try #require(due.first?.event.id)
            #expect(try await store.takeDueDeliveries(at: now, limit: 5, leaseUntil: lease).isEmpty, "taken: no other deliverer gets it")
            let retaken = try await store.takeDueDeliveries(at: lease, limit: 5, leaseUntil: lease.addingTimeInterval(35))
            #expect(retaken.map(\.event.id) == [eventID], "its attempt never recorded: taken again once the lease ends")
            try await store.recordDeliveryAttempt(eventID, delivered: false, error: "HTTP 500", retryAt: now.addingTimeInterval(30), at: now)
            #expect(try await store.takeDueDeliveries(at: now, limit: 5, leaseUntil: lease).isEmpty, "tried again later")
            try await store.recordDeliveryAttempt(eventID, delivered: true, error: nil, retryAt: nil, at: now.addingTimeInterval(30))
            let logged = try await store.alertEvents(of: Self.alice, after: 0, limit: 5)
            #expect(logged.map(\.delivery) == [.delivered] && logged.map(\.attempts) == [2])
            #expect(try await store.takeDueDeliveries(at: now.addingTimeInterval(60), limit: 5, leaseUntil: lease).isEmpty)

            try await store.setAlertCursor(41)
            try await store.setAlertCursor(42)
            #expect(try await store.alertCursor() == 42)
            #expect(try await !store.deleteAlert(id, of: Self.bob), "only its owner's")
            #expect(try await store.deleteAlert(id, of: Self.alice))
            #expect(try await store.alertEvents(of: Self.alice, after: 0, limit: 5).isEmpty, "its events with it")
        }
    }
}
