import Ethereum
import Foundation
import Logging
import IPFS
import SonicChain
import SonicConfig
import SonicStore

/// The NFT creator's back end: uploads checked and stored by content (image and ERC-721
/// metadata), mints prepared for the wallet, an address's tokens from the indexer, and the
/// gateway that serves stored content at `/ipfs/<cid>`.
public struct NFTService: Sendable {
    let context: ChainContext
    /// The indexed chain (who holds which token), nil without a database.
    let history: (any HistoryRepository)?
    /// Where uploads are kept: a folder of this host's, or the database the hosts share.
    let content: (any ContentBackend)?
    let contentProblem: String?
    let maxImageBytes: Int
    /// Remote pinning services (kubo, Pinata) minted uploads go to, when configured.
    var pinners: [any Pinner] = []
    /// Who uploaded what, for the quotas (nil without a database: no quota can be kept, so
    /// uploads are refused).
    var uploads: (any UploadRepository)?
    /// Uploads one address may make in any 24 hours, and their bytes (image and metadata).
    var uploadsPerDay = 20
    var uploadBytesPerDay = 104_857_600

    /// The image types accepted, recognised by their bytes, never by the file name.
    public enum ImageType: String, CaseIterable, Sendable {
        case png = "image/png", jpeg = "image/jpeg", gif = "image/gif", webp = "image/webp", svg = "image/svg+xml"

        var fileExtension: String { self == .svg ? "svg" : String(rawValue.dropFirst(6)) }
    }

    /// The type of `data` and whether it is whole (its format's end marker is there), or nil
    /// when it is none of the accepted images.
    static func sniff(_ data: [UInt8]) -> (type: ImageType, complete: Bool)? { sniff(data[...]) }

    static func sniff(_ data: ArraySlice<UInt8>) -> (type: ImageType, complete: Bool)? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return (.png, data.suffix(12).elementsEqual([0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]))
        }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return (.jpeg, data.suffix(2).elementsEqual([0xFF, 0xD9])) }
        if data.starts(with: Array("GIF87a".utf8)) || data.starts(with: Array("GIF89a".utf8)) { return (.gif, data.last == 0x3B) }
        if data.count >= 12, data.starts(with: Array("RIFF".utf8)), data.dropFirst(8).prefix(4).elementsEqual(Array("WEBP".utf8)) {
            let size = Array(data.dropFirst(4).prefix(4))
            let declared = Int(size[0]) | Int(size[1]) << 8 | Int(size[2]) << 16 | Int(size[3]) << 24
            return (.webp, declared + 8 == data.count)
        }
        // SVG: UTF-8 text whose first element is <svg> (after an XML declaration, comments, a doctype).
        guard let text = String(validating: data, as: UTF8.self) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
        guard trimmed.hasPrefix("<"), let svg = trimmed.range(of: "<svg") else { return nil }
        let before = trimmed[..<svg.lowerBound]
        let prologue = before.replacingOccurrences(of: #"<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|\s"#, with: "", options: .regularExpression)
        guard prologue.isEmpty else { return nil }
        return (.svg, trimmed.hasSuffix("</svg>") || trimmed.hasSuffix("/>"))
    }

    /// What an upload brings: the fields of the NFT creator's form, as bytes.
    public struct Upload: Sendable {
        /// The image's bytes (a view into the request they came in, not a copy).
        public var image: ArraySlice<UInt8>?
        public var name: [UInt8]?
        public var description: [UInt8]?
        /// A JSON array of `{"trait_type", "value"}`.
        public var attributes: [UInt8]?
        /// 0 (`Qm…`) or 1 (`b…`).
        public var cidVersion = 0

        public init() {}
    }

    /// Stores the image and its ERC-721 metadata for `address` and answers their CIDs, within
    /// the address's daily quota. Nothing is sent to a pinning service until the content is
    /// minted (`UploadKeeper`).
    /// - Throws: `AppError.rateLimited` past the quota, or the field at fault.
    public func upload(_ upload: Upload, by address: Address) async throws(AppError) -> Uploaded {
        let store = try await contentStore()
        let cidVersion = upload.cidVersion
        guard let image = upload.image, !image.isEmpty else {
            throw .invalidInput(field: "image", summary: "Missing image", detail: "image is required: a PNG, JPEG, GIF, WebP or SVG file")
        }
        guard image.count <= maxImageBytes else {
            throw .tooLarge(field: "image", summary: "Image too large",
                            detail: "image has \(image.count) bytes; at most \(maxImageBytes) (\(maxImageBytes / 1_048_576) MB) are accepted")
        }
        guard let (type, complete) = Self.sniff(image) else {
            throw .unsupportedType(field: "image", summary: "Unsupported image",
                                   detail: "image is not a PNG, JPEG, GIF, WebP or SVG file (judged by its content, not its name)")
        }
        guard complete else {
            throw .invalidInput(field: "image", summary: "Incomplete image", detail: "image looks like a \(type.rawValue) file that is cut short; upload the whole file")
        }
        let name = try Self.text(upload.name, field: "name", required: true, limit: 100)
        let description = try Self.text(upload.description, field: "description", required: false, limit: 1_000)
        let attributes = try upload.attributes.map(Self.attributes)
        let now = context.clock.now()
        try await checkQuota(of: address, adding: image.count, now: now)

        let imageCID: CID, metadataCID: CID, stored: Metadata, metadataBytes: [UInt8]
        do {
            imageCID = try await store.add(image, contentType: type.rawValue, cidVersion: cidVersion)
            stored = Metadata(name: name, description: description, image: "ipfs://\(imageCID)", attributes: attributes)
            metadataBytes = try stored.document()
            metadataCID = try await store.add(metadataBytes[...], contentType: "application/json", cidVersion: cidVersion)
        } catch {
            logger.error("nft upload: \(error)")
            throw .unavailable(summary: "Storage unavailable", detail: "the upload could not be stored; nothing was kept, try again")
        }
        let record = NFTUpload(address: address, metadataCID: metadataCID.description, imageCID: imageCID.description,
                               bytes: image.count + metadataBytes.count, uploadedAt: now)
        try await storeCall { () async throws(StoreError) in try await uploads?.recordUpload(record) }
        return Uploaded(pinned: ["local"], imageCID: imageCID, metadataCID: metadataCID, contentType: type, size: image.count, metadata: stored)
    }

    /// Refuses an upload of `bytes` more by `address` when it would pass the daily quota.
    func checkQuota(of address: Address, adding bytes: Int, now: Date) async throws(AppError) {
        guard let uploads else { throw .databaseDown }
        let usage = try await storeCall { () async throws(StoreError) in try await uploads.uploadUsage(of: address, since: now.addingTimeInterval(-86_400)) }
        let wait = max(1, Int((usage.oldest ?? now).addingTimeInterval(86_400).timeIntervalSince(now).rounded(.up)))
        if usage.count >= uploadsPerDay {
            throw .rateLimited(retryAfter: wait, detail: "\(address.checksummed) uploaded \(usage.count) images in the last 24 hours; "
                               + "at most \(uploadsPerDay) a day are accepted")
        }
        if usage.bytes + bytes > uploadBytesPerDay {
            throw .rateLimited(retryAfter: wait, detail: "\(address.checksummed) uploaded \(usage.bytes) bytes in the last 24 hours and this one "
                               + "has \(bytes); at most \(uploadBytesPerDay) bytes a day are accepted")
        }
    }

    /// Sends stored content (an image and its metadata) to every pinning service; answers the
    /// names of those that confirmed both CIDs.
    /// - Throws: `AppError.badUpstream` when a service fails or answers another CID.
    func pin(imageCID: CID, metadataCID: CID) async throws(AppError) -> [String] {
        let store = try await contentStore()
        let image: (object: ContentStore.Object, bytes: [UInt8]), metadata: (object: ContentStore.Object, bytes: [UInt8])
        do {
            guard let storedImage = try await store.read(imageCID), let storedMetadata = try await store.read(metadataCID) else {
                throw AppError.notFound(detail: "the content of \(metadataCID) is no longer stored here")
            }
            (image, metadata) = (storedImage, storedMetadata)
        } catch let error as AppError {
            throw error
        } catch {
            throw .unavailable(summary: "Content unavailable", detail: "the stored content could not be read")
        }
        let fileExtension = ImageType(rawValue: image.object.contentType)?.fileExtension ?? "bin"
        var pinned: [String] = []
        for pinner in pinners {
            do {
                let answer = try await pinner.pinFile(image.bytes, filename: "image.\(fileExtension)", cidVersion: imageCID.version)
                guard answer == imageCID.description else { throw Self.mismatch(pinner, what: "image", theirs: answer, ours: imageCID) }
                // The pinning services take the document as JSON, and must store exactly these bytes.
                let document = try JSONDecoder().decode(JSONValue.self, from: Data(metadata.bytes))
                let json = try await pinner.pinJSON(document, data: metadata.bytes, name: "metadata.json", cidVersion: metadataCID.version)
                guard json == metadataCID.description else { throw Self.mismatch(pinner, what: "metadata", theirs: json, ours: metadataCID) }
                pinned.append(pinner.name)
            } catch let error as AppError {
                throw error
            } catch {
                throw .badUpstream(summary: "Pinning failed", detail: Redaction.reducingURLs(in: "\(error)"))
            }
        }
        return pinned
    }

    static func mismatch(_ pinner: any Pinner, what: String, theirs: String, ours: CID) -> AppError {
        .badUpstream(summary: "Pinning mismatch",
                     detail: "\(pinner.name) answered \(theirs) for the \(what), but its content is \(ours); the upload is not confirmed there")
    }

    /// A form field as text: UTF-8, trimmed, no control characters, at most `limit` characters.
    static func text(_ data: [UInt8]?, field: String, required: Bool, limit: Int) throws(AppError) -> String {
        guard let data else {
            if required { throw .invalidInput(field: field, summary: "Missing \(field)", detail: "\(field) is required") }
            return ""
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .invalidInput(field: field, summary: "Invalid \(field)", detail: "\(field) must be UTF-8 text")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty { throw .invalidInput(field: field, summary: "Missing \(field)", detail: "\(field) must not be empty") }
        guard trimmed.count <= limit else {
            throw .invalidInput(field: field, summary: "Invalid \(field)", detail: "\(field) has \(trimmed.count) characters; at most \(limit)")
        }
        guard !trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) && $0 != "\n" }) else {
            throw .invalidInput(field: field, summary: "Invalid \(field)", detail: "\(field) must not contain control characters")
        }
        return trimmed
    }

    /// `[{"trait_type": "…", "value": "…" or a whole number}]`, at most 20.
    static func attributes(_ data: [UInt8]) throws(AppError) -> [Metadata.Attribute] {
        let problem = AppError.invalidInput(field: "attributes", summary: "Invalid attributes",
                                            detail: "attributes must be a JSON array of at most 20 {\"trait_type\": text, \"value\": text or whole number}")
        guard let list = try? JSONDecoder().decode([Metadata.Attribute].self, from: Data(data)), list.count <= 20 else { throw problem }
        for item in list {
            guard (1...50).contains(item.traitType.count) else { throw problem }
            if case .text(let text) = item.value, text.count > 100 { throw problem }
        }
        return list
    }

    /// The mint of `uri` for `from`, with the collection's fee, simulated and previewed.
    public func prepareMint(uri: String, from: Address) async throws(AppError) -> PreparedTransaction {
        // The length first: a CID's base58 reading costs the square of its length.
        guard uri.utf8.count <= 432, uri.hasPrefix("ipfs://") ? CID(String(uri.dropFirst(7))) != nil : uri.hasPrefix("https://"),
              !uri.contains(where: { $0.isWhitespace }) else {
            throw .invalidInput(field: "token_uri", summary: "Invalid token_uri",
                                detail: "token_uri must be ipfs://<CID> (as /api/nft/assets returns) or an https:// URL of at most 432 bytes")
        }
        let contract = try context.contract("SmartSonicNFT")
        let fee: UInt256
        let call: CallRequest
        do {
            fee = try await context.chain.mintFee(contract)
            call = try NFTContract.mintRequest(contract: contract, to: from, uri: uri, fee: fee, from: from)
        } catch {
            throw AppError.chain(error, what: "the NFT contract")
        }
        let prepared = try await PreparedTransaction.make(
            call, summary: "Mint an NFT with metadata \(uri) for \(Units.format(fee, decimals: 18)) \(context.network.nativeSymbol)", context: context)
        try await context.require(try context.nativeBalance(of: from), covers: fee.adding(prepared.maxFee) ?? .max, for: "the mint fee and the fee",
                            field: "from")
        return prepared
    }

    /// The tokens `address` holds by the indexer, with images through our gateway.
    public func tokens(of address: Address) async throws(AppError) -> Gallery {
        guard let history else { throw .databaseDown }
        let owned = try await storeCall { () async throws(StoreError) in try await history.ownedNFTs(address) }
        var tokens: [Gallery.Token] = []
        for token in owned {
            let metadata = await localMetadata(token.tokenURI)
            let image = metadata?.image.flatMap { $0.hasPrefix("ipfs://") ? CID(String($0.dropFirst(7))) : nil }
            tokens.append(Gallery.Token(contract: token.contract.checksummed, tokenID: token.tokenID.description, tokenURI: token.tokenURI,
                                        mintTransaction: token.mintTransaction?.description, mintedAt: token.mintedAt.map(HistoryService.iso),
                                        name: metadata?.name, description: metadata?.description, imageURL: image.map { "/ipfs/\($0)" }))
        }
        return Gallery(address: address, tokens: tokens)
    }

    /// The metadata of an `ipfs://` token URI when it is in our store.
    func localMetadata(_ uri: String?) async -> Gallery.StoredMetadata? {
        guard let uri, uri.hasPrefix("ipfs://"), let cid = CID(String(uri.dropFirst(7))), let content,
              let stored = try? await content.read(cid), stored.object.contentType == "application/json" else { return nil }
        return try? JSONDecoder().decode(Gallery.StoredMetadata.self, from: Data(stored.bytes))
    }

    /// Stored content: its bytes and the type it was stored with.
    public struct Content: Sendable {
        public let cid: CID
        public let contentType: String
        public let bytes: [UInt8]
    }

    /// The stored content of `cid`.
    public func content(_ text: String) async throws(AppError) -> Content {
        guard let cid = CID(text) else {
            throw .invalidInput(field: "cid", summary: "Invalid CID", detail: "expected a CIDv0 (Qm…) or a base32 CIDv1 (b…)")
        }
        let store = try await contentStore()
        let stored: (object: ContentStore.Object, bytes: [UInt8])?
        do { stored = try await store.read(cid) } catch {
            logger.error("gateway: \(error)")
            throw .unavailable(summary: "Content unavailable", detail: "the stored content could not be read")
        }
        guard let stored else { throw .notFound(detail: "no content with CID \(cid) is stored here") }
        return Content(cid: cid, contentType: stored.object.contentType, bytes: stored.bytes)
    }

    func contentStore() async throws(AppError) -> any ContentBackend {
        guard let content else {
            throw .unavailable(summary: "Storage unavailable", detail: contentProblem ?? "the content store is not available")
        }
        return content
    }
}
