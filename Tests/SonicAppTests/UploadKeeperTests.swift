import AppTestSupport
import Ethereum
import Foundation
import IPFS
import SonicStore
import Synchronization
import Testing
@testable import SonicApp

/// Uploads cost their uploader a daily quota; content goes to paid pinning services only once
/// minted in our collection; content never minted is removed after its time (issue 18).
@Suite struct UploadKeeperTests {
    /// A PNG whose pixels are `seed` (each seed is different content).
    static func png(_ seed: UInt8, size: Int = 8) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: seed, count: size) + [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
    }

    static func upload(_ seed: UInt8, size: Int = 8) -> NFTService.Upload {
        var upload = NFTService.Upload()
        upload.image = png(seed, size: size)[...]
        upload.name = Array("Picture \(seed)".utf8)
        return upload
    }

    /// A pinning service that answers the CID we computed and remembers what it was sent.
    final class FakePinner: Pinner, Sendable {
        let sent = Mutex<[String]>([])
        var name: String { "the fake service" }

        func pinFile(_ data: [UInt8], filename: String, cidVersion: Int) async throws(PinningError) -> String {
            let cid = UnixFSImporter(cidVersion: cidVersion).importFile(data).root.description
            sent.withLock { $0.append("file \(cid)") }
            return cid
        }

        func pinJSON(_ value: JSONValue, data: [UInt8], name: String, cidVersion: Int) async throws(PinningError) -> String {
            let cid = UnixFSImporter(cidVersion: cidVersion).importFile(data).root.description
            sent.withLock { $0.append("json \(cid)") }
            return cid
        }
    }

    @Test func anAddressMayUploadSoManyImagesAndBytesADay() async throws {
        let services = try TestServices(environment: ["SONIC_UPLOADS_PER_DAY": "2", "SONIC_UPLOAD_BYTES_PER_DAY": "2000"])
        let nft = services.app.nft
        _ = try await nft.upload(Self.upload(1), by: TestServices.alice)
        services.clock.advance(3_600)
        _ = try await nft.upload(Self.upload(2), by: TestServices.alice)
        do {
            _ = try await nft.upload(Self.upload(3), by: TestServices.alice)
            Issue.record("a third upload in a day was accepted")
        } catch {
            // The first leaves the window 23 hours from now.
            #expect(error == .rateLimited(retryAfter: 82_800, detail: "\(TestServices.alice.checksummed) uploaded 2 images in the last 24 hours; at most 2 a day are accepted"))
        }
        // Another address has its own quota, and bytes count too.
        await #expect(throws: AppError.self) { try await nft.upload(Self.upload(4, size: 2_000), by: TestServices.bob) }
        _ = try await nft.upload(Self.upload(4), by: TestServices.bob)
        services.clock.advance(82_801)
        _ = try await nft.upload(Self.upload(3), by: TestServices.alice)
    }

    @Test func onlyMintedContentIsPinnedAndContentNeverMintedIsRemovedAfterItsTime() async throws {
        let services = try TestServices(environment: ["SONIC_UNMINTED_KEEP_SECONDS": "3600"])
        let pinner = FakePinner()
        var nft = services.app.nft
        nft.pinners = [pinner]
        let keeper = UploadKeeper(nft: nft, uploads: services.store, clock: services.clock, collection: TestServices.nftContract, keepUnminted: 3_600)
        let minted = try await nft.upload(Self.upload(1), by: TestServices.alice)
        let never = try await nft.upload(Self.upload(2), by: TestServices.alice)
        #expect(minted.pinned == ["local"])
        #expect(await keeper.run() == .init(minted: 0, pinned: 0, removed: 0) && pinner.sent.withLock { $0 }.isEmpty)

        // The indexer sees the first minted in our collection (a mint elsewhere does not count).
        var batch = IndexBatch(chainHead: 10)
        for (contract, index) in [(TestServices.token, 0), (TestServices.nftContract, 1)] {
            batch.nftTransfers.append(NFTTransferRecord(contract: contract, tokenID: UInt256(1), block: 10, logIndex: index, sender: try Address("0x0000000000000000000000000000000000000000"),
                                                        receiver: TestServices.alice, tokenURI: "ipfs://\(minted.metadataCID)", hash: Hash32.keccak([1]), time: 1))
        }
        try services.store.apply(batch, chainID: 31337, at: Date())
        #expect(await keeper.run() == .init(minted: 1, pinned: 1, removed: 0))
        #expect(pinner.sent.withLock { $0 } == ["file \(minted.imageCID)", "json \(minted.metadataCID)"])
        #expect(await keeper.run() == .init(minted: 0, pinned: 0, removed: 0) && pinner.sent.withLock { $0 }.count == 2)

        services.clock.advance(3_601)
        #expect(await keeper.run() == .init(minted: 0, pinned: 0, removed: 2))
        await #expect(throws: AppError.notFound(detail: "no content with CID \(never.imageCID) is stored here")) {
            try await nft.content(never.imageCID.description)
        }
        #expect(try await nft.content(minted.imageCID.description).bytes == Self.png(1))
        #expect(try await nft.content(minted.metadataCID.description).contentType == "application/json")
    }
}
