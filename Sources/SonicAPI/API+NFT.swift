import Ethereum
import SonicApp
import SonicHTTP

extension API {
    /// POST /api/nft/assets[?cid_version=0|1]: multipart `image`, `name`, `description` (and
    /// optional `attributes`, a JSON array), for a signed-in person; answers the CIDs.
    func upload(_ call: Route.Call) async throws -> Response {
        guard let session = try await session(of: call.request) else {
            throw AppError.unauthenticated(field: nil, summary: "Sign-in required", detail: "sign in with your wallet to upload an NFT image")
        }
        var upload = NFTService.Upload()
        if let text = call.request.queryItems["cid_version"] {
            guard text == "0" || text == "1" else {
                throw AppError.invalidInput(field: "cid_version", summary: "Invalid cid_version", detail: "cid_version must be 0 or 1, got \"\(text)\"")
            }
            upload.cidVersion = Int(text)!
        }
        // An upload larger than its bound (image and other parts together) is refused unread.
        let most = Route.maxBody(call.body, imageBytes: app.configuration.nftMaxBytes)
        guard call.request.body.count <= most else {
            throw AppError.tooLarge(field: "image", summary: "Image too large",
                                    detail: "the upload has \(call.request.body.count) bytes; an upload (the image with its name, "
                                        + "description and attributes) may have at most \(most)")
        }
        let form = try Multipart.parse(call.request)
        let accepted = call.body.keys.sorted().joined(separator: ", ")
        for part in form.parts {
            guard let limit = call.body[part.name] else {
                throw Problem(status: 400, title: "Unknown field", detail: "\"\(RequestBody.preview(part.name))\" is not a field of this upload; accepted: \(accepted)",
                              field: String(part.name.prefix(64)))
            }
            // Bounded before the text is read; the image by SONIC_NFT_MAX_BYTES in the service.
            guard part.data.count <= limit else {
                throw Problem(status: 422, title: "Too long", detail: "\(part.name) is \(part.data.count) bytes long; at most \(limit)", field: part.name)
            }
        }
        upload.image = form["image"]?.data
        upload.name = form["name"].map { Array($0.data) }
        upload.description = form["description"].map { Array($0.data) }
        upload.attributes = form["attributes"].map { Array($0.data) }
        return await .json(try app.nft.upload(upload, by: session.address), status: .created)
    }

    struct MintBody: Decodable {
        let tokenURI: String
        let from: String?
        enum CodingKeys: String, CodingKey { case tokenURI = "token_uri", from }
    }

    /// POST /api/nft/prepare-mint `{token_uri, from?}`: the mint, with the collection's fee,
    /// simulated and previewed. `from` defaults to the signed-in address.
    func prepareMint(_ call: Route.Call) async throws -> Response {
        let body = try call.body(as: MintBody.self)
        let signedIn = body.from == nil ? try await session(of: call.request)?.address.lowercased : nil
        guard let text = body.from ?? signedIn else {
            throw AppError.invalidInput(field: "from", summary: "Missing from", detail: "from is required when not signed in")
        }
        return await .json(try app.nft.prepareMint(uri: body.tokenURI, from: try Validate.address(text, field: "from")))
    }

    /// GET /api/nft/{address}: the tokens it holds by the indexer, with images through our gateway.
    func nfts(_ call: Route.Call) async throws -> Response {
        await .json(try app.nft.tokens(of: try Validate.address(call.parameters[0], field: "address")))
    }

    /// GET /ipfs/{cid}: stored content with its type, cached forever (it cannot change). SVG
    /// is sandboxed so a script inside it never runs.
    func content(_ call: Route.Call) async throws -> Response {
        let content = try await app.nft.content(call.parameters[0])
        var headers: HTTPFields = [
            .contentType: content.contentType, .cacheControl: "public, max-age=31536000, immutable",
            .eTag: "\"\(content.cid)\"", .xContentTypeOptions: "nosniff",
        ]
        if content.contentType == NFTService.ImageType.svg.rawValue {
            headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        }
        return Response(status: .ok, headers: headers, body: content.bytes)
    }
}
