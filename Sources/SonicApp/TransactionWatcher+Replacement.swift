import Ethereum
import Foundation
import Logging
import SonicChain
import SonicStore

/// How the watcher tells a transaction replaced in the wallet (a speed-up or a cancel: the same
/// sender and nonce, a new hash) from one still pending or dropped, and finds the one that took
/// its place, by any wallet.
///
/// The rule: a pending transaction without a receipt whose sender has mined its nonce (the
/// sender's transaction count at the head is past it) was replaced: another transaction of the
/// sender with that nonce was mined. It is `cancelled` when that one sends nothing to the
/// sender itself, else `replaced`; either way it names the new one, which is tracked and
/// followed to its own final state. A transaction whose sender has not mined its nonce stays
/// pending (and is dropped only when the node forgets it for `dropAfter`).
///
/// Which one took the nonce: the block where the sender's count went past it holds it. For each
/// pending transaction the watcher remembers the last head at which the count was not past its
/// nonce (`unusedAt`); between that block and the head it reads the count at up to `probes`
/// blocks in one batch, narrowing the range sixteen-fold per round, until one block is left
/// (usually at once: the count is read every pass, so the range is a block or two), then reads
/// that block's transactions. Without a remembered block (after a restart, or when the
/// replacement was mined before the first look) it first reads the count 1, 4, 16, … blocks
/// back from the head, then narrows the same way. A node without the state of those blocks (a
/// pruned one) cannot say which: the transaction is then `replaced` without a name.
///
/// Cost: one batch per pass (the head and the senders' counts), and, once per replacement, at
/// most `searchRounds` batches of `probes` counts and one block; at most `searchesPerPass`
/// searches per pass, the rest on the next.
extension TransactionWatcher {
    /// Counts read per batch of the search.
    static let probes = 15
    /// Rounds of the search at most: 16^8 blocks, far more than a chain has.
    static let searchRounds = 8
    /// Replacements searched per pass at most.
    static let searchesPerPass = 4
    /// Heads remembered at most (the memory is cleared past it, and searches start wider).
    static let unusedAtKept = 100_000

    /// The outcome of the search for what took a transaction's nonce.
    enum Replacement {
        /// Another transaction of the sender, with the nonce.
        case found(TransactionInfo)
        /// The transaction itself, mined since its receipt was asked for.
        case mined
        /// The node cannot say which (no state for the blocks asked).
        case unnamed
    }

    /// The replaced and cancelled ones among `waiting` (pending, no receipt, sender and nonce
    /// known), each with its new state; their replacements are tracked.
    func replacements(_ waiting: [TrackedTransaction], now: Date, store: any TransactionRepository) async -> [(TrackedTransaction, TrackedTransaction)] {
        var senders: [Address] = []
        var seen: Set<Address> = []
        for tracked in waiting { if let sender = tracked.sender, seen.insert(sender).inserted { senders.append(sender) } }
        guard !senders.isEmpty, let (head, counts) = try? await context.chain.headAndNonces(of: senders) else { return [] }
        var mined: [Address: UInt64] = [:]
        for (sender, result) in zip(senders, counts) { if case .success(let count) = result { mined[sender] = count } }
        var taken: [TrackedTransaction] = []
        unusedAt.withLock { memo in
            if memo.count > Self.unusedAtKept { memo.removeAll() }
            for tracked in waiting {
                guard let sender = tracked.sender, let nonce = tracked.nonce, let count = mined[sender] else { continue }
                if count > nonce { taken.append(tracked) } else { memo[tracked.hash] = head }
            }
        }
        var changed: [(TrackedTransaction, TrackedTransaction)] = []
        for tracked in taken.prefix(Self.searchesPerPass) {
            guard let sender = tracked.sender, let nonce = tracked.nonce else { continue }
            var next = tracked
            next.state = .replaced
            switch await replacement(of: tracked, sender: sender, nonce: nonce) {
            case nil, .mined?:
                continue  // asked again next pass; a mined one settles by its receipt
            case .unnamed?:
                // Mined itself after all (its receipt came since it was asked)? Its receipt settles it.
                guard case .some(.none) = try? await context.chain.receipt(tracked.hash) else { continue }
                next.reason = "another transaction of the sender with nonce \(nonce) was mined instead; the node could not say which"
            case .found(let new)?:
                do {
                    try await store.track(TrackedTransaction(hash: new.hash, sender: sender, nonce: nonce, createdAt: now, updatedAt: now))
                } catch {
                    logger.error("watcher: \(error)")
                    continue
                }
                let cancel = new.to == sender && new.value.value == .zero
                next.state = cancel ? .cancelled : .replaced
                next.replacedBy = new.hash
                next.reason = cancel ? "cancelled: \(new.hash) took its nonce (\(nonce)) and sends nothing"
                    : "replaced by \(new.hash) with the same nonce (\(nonce))"
            }
            settled(sender)
            changed.append((tracked, next))
        }
        return changed
    }

    /// Searches the blocks since `tracked`'s nonce was last seen unused for the transaction of
    /// `sender` with `nonce`; nil when the node did not answer (searched again next pass).
    func replacement(of tracked: TrackedTransaction, sender: Address, nonce: UInt64) async -> Replacement? {
        do {
            // The sender's count is past `nonce` at `high` (the head now) and not at `low`.
            var high = try await context.chain.blockNumber()
            var low = unusedAt.withLock { $0[tracked.hash] }
            // An endpoint behind the one that said the nonce was taken: asked again next pass.
            if let low, high <= low { return nil }
            for _ in 0..<Self.searchRounds {
                if let low, low + 1 >= high { break }
                let blocks = low.map { Self.between($0, high) } ?? Self.backFrom(high)
                var answered = false
                for (block, result) in zip(blocks, try await context.chain.nonces(of: sender, at: blocks)) {
                    guard case .success(let count) = result else { continue }
                    answered = true
                    if count > nonce { high = min(high, block) } else if low.map({ block > $0 }) ?? true { low = block }
                }
                guard answered else { return .unnamed }
            }
            guard let low, low < high, high - low == 1 else { return .unnamed }
            guard let transactions = try await context.chain.blockTransactions(high),
                  let new = transactions.first(where: { $0.from == sender && $0.nonce.value == nonce })
            else { return nil }  // the chain changed under the search (a reorganisation): again next pass
            return new.hash == tracked.hash ? .mined : .found(new)
        } catch {
            return nil
        }
    }

    /// Up to `probes` blocks strictly between `low` and `high`, evenly spaced.
    static func between(_ low: UInt64, _ high: UInt64) -> [UInt64] {
        guard high > low + 1 else { return [] }
        let gap = high - low
        if gap - 1 <= UInt64(probes) { return Array(low + 1..<high) }
        return (1...UInt64(probes)).map { low + gap * $0 / UInt64(probes + 1) }
    }

    /// Blocks 1, 4, 16, … back from `high`, and the first block: where to look when nothing
    /// is known of where the nonce was still unused.
    static func backFrom(_ high: UInt64) -> [UInt64] {
        var blocks: [UInt64] = []
        var back: UInt64 = 1
        while back < high, blocks.count < probes - 1 {
            blocks.append(high - back)
            back *= 4
        }
        return blocks + [0]
    }
}
