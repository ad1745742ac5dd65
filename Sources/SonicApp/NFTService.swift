import BigInt
import Ethereum
import SonicHTTP
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
    let content: ContentStore?
    let contentProblem: String?
    let maxImageBytes: Int
    /// Remote pinning services (kubo, Pinata) the uploads also go to, when configured.
    var pinners: [any Pinner] = []

    /// The image types accepted, recognised by their bytes, never by the file name.
    enum ImageType: String, CaseIterable {
        case png = "image/png", jpeg = "image/jpeg", gif = "image/gif", webp = "image/webp", svg = "image/svg+xml"

        var fileExtension: String { self == .svg ? "svg" : String(rawValue.dropFirst(6)) }
    }

    /// The type of `data` and whether it is whole (its format's end marker is there), or nil
    /// when it is none of the accepted images.
    static func sniff(_ data: [UInt8]) -> (type: ImageType, complete: Bool)? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return (.png, data.suffix(12).elementsEqual([0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]))
        }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return (.jpeg, data.suffix(2).elementsEqual([0xFF, 0xD9])) }
        if data.starts(with: Array("GIF87a".utf8)) || data.starts(with: Array("GIF89a".utf8)) { return (.gif, data.last == 0x3B) }
        if data.count >= 12, data.starts(with: Array("RIFF".utf8)), data[8..<12].elementsEqual(Array("WEBP".utf8)) {
            let declared = Int(data[4]) | Int(data[5]) << 8 | Int(data[6]) << 16 | Int(data[7]) << 24
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

    /// POST /api/nft/assets: multipart `image`, `name`, `description` (and optional
    /// `attributes`, a JSON array); stores the image and the metadata and answers their CIDs.
    func upload(_ request: Request, signedIn: Bool) throws(Problem) -> JSONValue {
        guard signedIn else {
            throw Problem(status: 401, title: "Sign-in required", detail: "sign in with your wallet to upload an NFT image")
        }
        let store = try contentStore()
        var cidVersion = 0
        if let text = request.queryItems["cid_version"] {
            guard text == "0" || text == "1" else {
                throw Problem(status: 400, title: "Invalid cid_version", detail: "cid_version must be 0 or 1, got \"\(text)\"", field: "cid_version")
            }
            cidVersion = Int(text)!
        }
        let form = try Multipart.parse(request)
        for part in form.parts where !["image", "name", "description", "attributes"].contains(part.name) {
            throw Problem(status: 400, title: "Unknown field", detail: "\"\(part.name)\" is not a field of this upload; accepted: image, name, description, attributes",
                          field: part.name)
        }
        guard let image = form["image"], !image.data.isEmpty else {
            throw Problem(status: 422, title: "Missing image", detail: "image is required: a PNG, JPEG, GIF, WebP or SVG file", field: "image")
        }
        guard image.data.count <= maxImageBytes else {
            throw Problem(status: 413, title: "Image too large",
                          detail: "image has \(image.data.count) bytes; at most \(maxImageBytes) (\(maxImageBytes / 1_048_576) MB) are accepted", field: "image")
        }
        guard let (type, complete) = Self.sniff(image.data) else {
            throw Problem(status: 415, title: "Unsupported image",
                          detail: "image is not a PNG, JPEG, GIF, WebP or SVG file (judged by its content, not its name)", field: "image")
        }
        guard complete else {
            throw Problem(status: 422, title: "Incomplete image", detail: "image looks like a \(type.rawValue) file that is cut short; upload the whole file",
                          field: "image")
        }
        let name = try Self.text(form["name"], field: "name", required: true, limit: 100)
        let description = try Self.text(form["description"], field: "description", required: false, limit: 1_000)
        var metadata: [String: JSONValue] = ["name": .string(name), "description": .string(description)]
        if let attributes = form["attributes"] { metadata["attributes"] = try Self.attributes(attributes.data) }

        let imageCID: CID, metadataCID: CID
        do {
            imageCID = try store.add(image.data, contentType: type.rawValue, cidVersion: cidVersion)
            metadata["image"] = .string("ipfs://\(imageCID)")
            metadataCID = try store.add(JSONValue.object(metadata).serialized(), contentType: "application/json", cidVersion: cidVersion)
        } catch {
            logger.error("nft upload: \(error)")
            throw Problem(status: 503, title: "Storage unavailable", detail: "the upload could not be stored; nothing was kept, try again")
        }
        let metadataBytes = JSONValue.object(metadata).serialized()
        var pinned: [JSONValue] = [.string("local")]
        for pinner in pinners {
            do {
                let image = try pinner.pinFile(image.data, filename: "image.\(type.fileExtension)", cidVersion: cidVersion)
                guard image == imageCID.description else { throw Self.mismatch(pinner, what: "image", theirs: image, ours: imageCID) }
                let answer = try pinner.pinJSON(.object(metadata), data: metadataBytes, name: "metadata.json", cidVersion: cidVersion)
                guard answer == metadataCID.description else { throw Self.mismatch(pinner, what: "metadata", theirs: answer, ours: metadataCID) }
                pinned.append(.string(pinner.name))
            } catch let problem as Problem {
                throw problem
            } catch {
                logger.warning("nft pinning: \(error)")
                throw Problem(status: 502, title: "Pinning failed", detail: "\(error)")
            }
        }
        return .object([
            "pinned": .array(pinned),
            "image_cid": .string(imageCID.description), "metadata_cid": .string(metadataCID.description),
            "token_uri": .string("ipfs://\(metadataCID)"), "image_url": .string("/ipfs/\(imageCID)"),
            "metadata_url": .string("/ipfs/\(metadataCID)"), "content_type": .string(type.rawValue),
            "size": .integer(BigInt(image.data.count)), "metadata": .object(metadata),
        ])
    }

    static func mismatch(_ pinner: any Pinner, what: String, theirs: String, ours: CID) -> Problem {
        Problem(status: 502, title: "Pinning mismatch",
                detail: "\(pinner.name) answered \(theirs) for the \(what), but its content is \(ours); the upload is not confirmed there")
    }

    /// A form field as text: UTF-8, trimmed, no control characters, at most `limit` characters.
    static func text(_ part: Multipart.Part?, field: String, required: Bool, limit: Int) throws(Problem) -> String {
        guard let part else {
            if required { throw Problem(status: 422, title: "Missing \(field)", detail: "\(field) is required", field: field) }
            return ""
        }
        guard let text = String(validating: part.data, as: UTF8.self) else {
            throw Problem(status: 422, title: "Invalid \(field)", detail: "\(field) must be UTF-8 text", field: field)
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty { throw Problem(status: 422, title: "Missing \(field)", detail: "\(field) must not be empty", field: field) }
        guard trimmed.count <= limit else {
            throw Problem(status: 422, title: "Invalid \(field)", detail: "\(field) has \(trimmed.count) characters; at most \(limit)", field: field)
        }
        guard !trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) && $0 != "\n" }) else {
            throw Problem(status: 422, title: "Invalid \(field)", detail: "\(field) must not contain control characters", field: field)
        }
        return trimmed
    }

    /// `[{"trait_type": "…", "value": "…" or a number}]`, at most 20.
    static func attributes(_ data: [UInt8]) throws(Problem) -> JSONValue {
        let problem = Problem(status: 422, title: "Invalid attributes",
                              detail: "attributes must be a JSON array of at most 20 {\"trait_type\": text, \"value\": text or whole number}",
                              field: "attributes")
        guard let list = try? JSONDecoder().decode([[String: JSONValue]].self, from: Data(data)), list.count <= 20 else { throw problem }
        var out: [JSONValue] = []
        for item in list {
            guard item.count == 2, case .string(let trait)? = item["trait_type"], (1...50).contains(trait.count), let value = item["value"] else { throw problem }
            switch value {
            case .string(let text) where text.count <= 100: break
            case .integer: break
            default: throw problem
            }
            out.append(.object(["trait_type": .string(trait), "value": value]))
        }
        return .array(out)
    }

    struct MintBody: Decodable {
        let tokenURI: String
        let from: String?
        enum CodingKeys: String, CodingKey { case tokenURI = "token_uri", from }
    }

    /// POST /api/nft/prepare-mint `{token_uri, from?}`: the mint, with the collection's fee,
    /// simulated and previewed like any other write. `from` defaults to the signed-in address.
    func prepareMint(_ request: Request, signedIn address: String?) throws(Problem) -> PreparedTransaction {
        let body = try RequestBody.decode(request, as: MintBody.self, fields: ["token_uri", "from"])
        guard let text = body.from ?? address else {
            throw Problem(status: 422, title: "Missing from", detail: "from is required when not signed in", field: "from")
        }
        return try prepareMint(uri: body.tokenURI, from: try Validate.address(text, field: "from"))
    }

    /// The mint of `uri` for `from`, with the collection's fee, simulated and previewed.
    func prepareMint(uri: String, from: Address) throws(Problem) -> PreparedTransaction {
        let validURI = uri.hasPrefix("ipfs://") ? CID(String(uri.dropFirst(7))) != nil : uri.hasPrefix("https://")
        guard validURI, uri.utf8.count <= 432, !uri.contains(where: { $0.isWhitespace }) else {
            throw Problem(status: 422, title: "Invalid token_uri",
                          detail: "token_uri must be ipfs://<CID> (as /api/nft/assets returns) or an https:// URL of at most 432 bytes", field: "token_uri")
        }
        let contract = NFTContract(address: try context.contract("SmartSonicNFT"), client: context.client)
        let fee: UInt256
        let call: CallRequest
        do {
            fee = try contract.mintFee()
            call = try contract.mintRequest(to: from, uri: uri, fee: fee, from: from)
        } catch {
            throw TransactionService.problem(error)
        }
        let prepared = try PreparedTransaction.make(
            call, summary: "Mint an NFT with metadata \(uri) for \(Units.format(fee, decimals: 18)) \(context.network.nativeSymbol)", context: context)
        try context.require(try context.nativeBalance(of: from), covers: fee.adding(prepared.maxFee) ?? .max, for: "the mint fee and the fee",
                            field: "from")
        return prepared
    }

    /// GET /api/nft/{address}: the tokens it holds by the indexer, with images through our gateway.
    func tokens(of address: Address) throws(Problem) -> JSONValue {
        guard let store = context.store else {
            throw Problem(status: 503, title: "Database unavailable", detail: "the service cannot read its database right now")
        }
        let owned = try storeCall { () throws(StoreError) in try store.ownedNFTs(address.lowercased) }
        let tokens: [JSONValue] = owned.map { token in
            var entry: [String: JSONValue] = [
                "contract": .string(HistoryService.checksummed(token.contract)), "token_id": .string(token.tokenID),
                "token_uri": token.tokenURI.map { .string($0) } ?? .null,
                "mint_transaction": token.mintTransaction.map { .string($0) } ?? .null,
                "minted_at": token.mintedAt.map { .string(HistoryService.iso($0)) } ?? .null,
                "name": .null, "description": .null, "image_url": .null,
            ]
            if let metadata = localMetadata(token.tokenURI) {
                entry["name"] = metadata["name"] ?? .null
                entry["description"] = metadata["description"] ?? .null
                if case .string(let image)? = metadata["image"], image.hasPrefix("ipfs://"), let cid = CID(String(image.dropFirst(7))) {
                    entry["image_url"] = .string("/ipfs/\(cid)")
                }
            }
            return .object(entry)
        }
        return .object(["address": .string(address.checksummed), "tokens": .array(tokens)])
    }

    /// The metadata JSON of an `ipfs://` token URI when it is in our store.
    func localMetadata(_ uri: String?) -> [String: JSONValue]? {
        guard let uri, uri.hasPrefix("ipfs://"), let cid = CID(String(uri.dropFirst(7))), let content,
              let stored = try? content.read(cid), stored.object.contentType == "application/json" else { return nil }
        return try? JSONDecoder().decode([String: JSONValue].self, from: Data(stored.bytes))
    }

    /// GET /ipfs/{cid}: stored content with its type, cached forever (it cannot change). SVG
    /// is sandboxed so a script inside it never runs.
    func gateway(_ text: String) throws(Problem) -> Response {
        guard let cid = CID(text) else {
            throw Problem(status: 400, title: "Invalid CID", detail: "expected a CIDv0 (Qm…) or a base32 CIDv1 (b…)", field: "cid")
        }
        let store = try contentStore()
        let stored: (object: ContentStore.Object, bytes: [UInt8])?
        do { stored = try store.read(cid) } catch {
            logger.error("gateway: \(error)")
            throw Problem(status: 503, title: "Content unavailable", detail: "the stored content could not be read")
        }
        guard let stored else { throw Problem(status: 404, title: "Not found", detail: "no content with CID \(cid) is stored here") }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", stored.object.contentType), ("Cache-Control", "public, max-age=31536000, immutable"),
            ("ETag", "\"\(cid)\""), ("X-Content-Type-Options", "nosniff"),
        ]
        if stored.object.contentType == ImageType.svg.rawValue {
            headers.append(("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox"))
        }
        return Response(status: 200, headers: headers, body: stored.bytes)
    }

    func contentStore() throws(Problem) -> ContentStore {
        guard let content else {
            throw Problem(status: 503, title: "Storage unavailable", detail: contentProblem ?? "the content store is not available")
        }
        return content
    }
}
