import AppTestSupport
import Ethereum
import Foundation
import Testing
@testable import SonicApp

/// The NFT creator's service: images recognised by their bytes, metadata fields checked and
/// bounded, mints previewed with the collection's fee.
@Suite struct NFTServiceTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 1, count: 8)
        + [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    @Test(arguments: [
        (png, "image/png", true), (Array(png.dropLast(3)), "image/png", false),
        ([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 0xFF, 0xD9], "image/jpeg", true), ([0xFF, 0xD8, 0xFF, 0xE0, 1, 2], "image/jpeg", false),
        (Array("GIF89a".utf8) + [1, 2, 0x3B], "image/gif", true),
        (Array("RIFF".utf8) + [8, 0, 0, 0] + Array("WEBPVP8 ".utf8), "image/webp", true),
        (Array("<?xml version=\"1.0\"?><!-- a --><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".utf8), "image/svg+xml", true),
    ] as [([UInt8], String, Bool)])
    func imagesAreRecognisedByTheirBytes(_ data: [UInt8], _ type: String, _ complete: Bool) {
        let sniffed = NFTService.sniff(data)
        #expect(sniffed?.type.rawValue == type && sniffed?.complete == complete)
    }

    @Test(arguments: ["hello", "<html><svg></svg></html>", "<script>alert(1)</script><svg/>", "", "\u{0}\u{1}"])
    func whatIsNotAnImageIsNot(_ text: String) {
        #expect(NFTService.sniff(Array(text.utf8)) == nil)
    }

    @Test func metadataFieldsAreCheckedAndBounded() async throws {
        let nft = try TestServices().app.nft
        func upload(name: String?, description: String? = nil, attributes: String? = nil) async -> AppError? {
            var upload = NFTService.Upload()
            upload.image = Self.png[...]
            upload.name = name.map { Array($0.utf8) }
            upload.description = description.map { Array($0.utf8) }
            upload.attributes = attributes.map { Array($0.utf8) }
            do { _ = try await nft.upload(upload, by: TestServices.alice); return nil } catch { return error }
        }
        #expect(await upload(name: nil)?.field == "name")
        #expect(await upload(name: "  ")?.field == "name")
        #expect(await upload(name: String(repeating: "a", count: 101))?.field == "name")
        #expect(await upload(name: "ok", description: "bell\u{7}")?.field == "description")
        #expect(await upload(name: "ok", attributes: #"[{"trait_type":"sky","value":{"nested":1}}]"#)?.field == "attributes")
        #expect(await upload(name: "ok", attributes: "[" + Array(repeating: #"{"trait_type":"a","value":1}"#, count: 21).joined(separator: ",") + "]")?.field
                == "attributes")
        #expect(await upload(name: "Sunset", description: "over the sea", attributes: #"[{"trait_type":"sky","value":"red"}]"#) == nil)
    }

    /// The answer of an upload as the page reads it, and the stored metadata byte for byte
    /// (its bytes make the token URI's CID, so their form must not drift).
    @Test func anUploadAnswersItsCIDsAndStoresERC721Metadata() async throws {
        let nft = try TestServices().app.nft
        var upload = NFTService.Upload()
        upload.image = Self.png[...]
        upload.name = Array("Sunset".utf8)
        upload.description = Array("over the sea\nat dusk".utf8)
        upload.attributes = Array(#"[{"trait_type":"sky","value":"red/orange"},{"trait_type":"waves","value":3}]"#.utf8)
        upload.cidVersion = 1
        let uploaded = try await nft.upload(upload, by: TestServices.alice)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try JSONSerialization.jsonObject(with: encoder.encode(uploaded)) as! [String: Any]
        let image = uploaded.imageCID.description, metadata = uploaded.metadataCID.description
        #expect(json["image_cid"] as? String == image && json["metadata_cid"] as? String == metadata)
        #expect(json["token_uri"] as? String == "ipfs://\(metadata)" && json["image_url"] as? String == "/ipfs/\(image)")
        #expect(json["metadata_url"] as? String == "/ipfs/\(metadata)" && json["content_type"] as? String == "image/png")
        #expect(json["size"] as? Int == Self.png.count && json["pinned"] as? [String] == ["local"])
        #expect((json["metadata"] as? [String: Any])?["name"] as? String == "Sunset")
        let stored = try await nft.content(metadata)
        #expect(stored.contentType == "application/json")
        #expect(String(decoding: stored.bytes, as: UTF8.self) == #"{"attributes":[{"trait_type":"sky","value":"red/orange"},{"trait_type":"waves","value":3}],"#
                + #""description":"over the sea\nat dusk","image":"ipfs://\#(image)","name":"Sunset"}"#)
    }

    @Test func aMintIsPreviewedWithTheCollectionsFee() async throws {
        let services = try TestServices()
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(1) }
        let uri = "ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
        let prepared = try await services.app.nft.prepareMint(uri: uri, from: TestServices.alice)
        #expect(prepared.summary == "Mint an NFT with metadata \(uri) for 0.001 S" && prepared.tx.to == TestServices.nftContract.checksummed)
        #expect(prepared.tx.value == UInt256(1_000_000_000_000_000).hexQuantity)
        for bad in ["ipfs://notacid", "http://example.com/a.json", "https://example.com/a b.json"] {
            await #expect(throws: AppError.self) { try await services.app.nft.prepareMint(uri: bad, from: TestServices.alice) }
        }
        services.chain.update { $0.balances[TestServices.alice] = .zero }
        do { _ = try await services.app.nft.prepareMint(uri: uri, from: TestServices.alice) } catch {
            #expect(error.field == "from" && error.detail.hasPrefix("not enough S for the mint fee and the fee"))
        }
    }
}
