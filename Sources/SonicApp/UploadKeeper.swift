import Ethereum
import Foundation
import IPFS
import SonicChain
import SonicStore
import Synchronization

/// Looks after NFT uploads in the background: sends content to the paid pinning services (kubo,
/// Pinata) once the indexer has seen it minted in our collection, never before; and removes
/// from the content store what was never minted within `keepUnminted` seconds of its upload.
public final class UploadKeeper: Sendable {
    let nft: NFTService
    let uploads: (any UploadRepository)?
    let clock: any TimeSource
    /// Our collection; mints elsewhere of the same metadata do not count (nil: any contract).
    let collection: Address?
    /// Seconds an upload never minted is kept.
    let keepUnminted: Double
    /// Seconds before a failed pinning is tried again.
    let retryAfter: Double = 600
    private let thread = Mutex<RepeatingThread?>(nil)

    public init(nft: NFTService, uploads: (any UploadRepository)?, clock: any TimeSource, collection: Address?, keepUnminted: Double) {
        self.nft = nft
        self.uploads = uploads
        self.clock = clock
        self.collection = collection
        self.keepUnminted = keepUnminted
    }

    /// What one pass did.
    public struct Report: Sendable, Equatable {
        public var minted = 0
        public var pinned = 0
        public var removed = 0
    }

    /// One pass: records new mints, pins what is minted (when a service is configured), removes
    /// what expired unminted.
    @discardableResult
    public func run() async -> Report {
        var report = Report()
        guard let uploads else { return report }
        let now = clock.now()
        do {
            report.minted = try await uploads.markMintedUploads(contract: collection, at: now)
            if !nft.pinners.isEmpty {
                for content in try await uploads.uploadsToPin(at: now, limit: 20) {
                    guard let image = CID(content.imageCID), let metadata = CID(content.metadataCID) else { continue }
                    do {
                        let services = try await nft.pin(imageCID: image, metadataCID: metadata)
                        try await uploads.recordPinning(content.metadataCID, at: now, retryAt: nil)
                        report.pinned += 1
                        logger.info("nft pinning: \(content.metadataCID) (minted) pinned to \(services.joined(separator: ", "))")
                    } catch let error as AppError {
                        logger.warning("nft pinning: \(content.metadataCID): \(error.summary): \(error.detail); trying again in \(Int(retryAfter)) s")
                        try await uploads.recordPinning(content.metadataCID, at: now, retryAt: now.addingTimeInterval(retryAfter))
                    }
                }
            }
            for text in try await uploads.expireUnmintedUploads(before: now.addingTimeInterval(-keepUnminted), at: now) {
                guard let cid = CID(text), let content = nft.content else { continue }
                if try await content.remove(cid) { report.removed += 1 }
            }
        } catch {
            logger.error("upload keeper: \(error)")
        }
        return report
    }

    /// Runs a pass every `interval` seconds on a thread of its own, until `stop()`.
    public func start(interval: Double = 2) {
        thread.withLock { running in
            guard running == nil else { return }
            running = RepeatingThread(name: "upload-keeper", interval: interval) { [weak self] in
                guard let self else { return }
                _ = ThreadExecutor.run { await self.run() }
            }
        }
    }

    /// Stops the thread and waits for it to end.
    public func stop() {
        thread.withLock { $0.take() }?.stop()
    }
}
