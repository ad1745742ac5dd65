import Ethereum
import Foundation
import IPFS

extension NFTService {
    /// ERC-721 metadata as we store it for an upload (https://eips.ethereum.org/EIPS/eip-721).
    public struct Metadata: Codable, Sendable, Equatable {
        public let name: String
        public let description: String
        /// `ipfs://<CID>` of the image.
        public let image: String
        public let attributes: [Attribute]?

        /// One trait: a name and a text or whole-number value.
        public struct Attribute: Codable, Sendable, Equatable {
            public enum Value: Codable, Sendable, Equatable {
                case text(String)
                case number(Int64)

                public init(from decoder: any Decoder) throws {
                    let container = try decoder.singleValueContainer()
                    if let text = try? container.decode(String.self) { self = .text(text) } else { self = .number(try container.decode(Int64.self)) }
                }

                public func encode(to encoder: any Encoder) throws {
                    var container = encoder.singleValueContainer()
                    switch self {
                    case .text(let text): try container.encode(text)
                    case .number(let number): try container.encode(number)
                    }
                }
            }

            public let traitType: String
            public let value: Value

            enum CodingKeys: String, CodingKey { case traitType = "trait_type", value }
        }

        /// The stored document: keys sorted, `/` unescaped (its bytes make the metadata's CID).
        func document() throws -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return Array(try encoder.encode(self))
        }
    }

    /// What an upload answers: where the image and metadata are stored, and the token URI to mint.
    public struct Uploaded: Encodable, Sendable {
        /// `local`, then each pinning service that confirmed both CIDs.
        public let pinned: [String]
        public let imageCID: CID
        public let metadataCID: CID
        public let contentType: ImageType
        public let size: Int
        public let metadata: Metadata

        enum CodingKeys: String, CodingKey {
            case pinned, imageCID = "image_cid", metadataCID = "metadata_cid", tokenURI = "token_uri", imageURL = "image_url"
            case metadataURL = "metadata_url", contentType = "content_type", size, metadata
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(pinned, forKey: .pinned)
            try container.encode(imageCID.description, forKey: .imageCID)
            try container.encode(metadataCID.description, forKey: .metadataCID)
            try container.encode("ipfs://\(metadataCID)", forKey: .tokenURI)
            try container.encode("/ipfs/\(imageCID)", forKey: .imageURL)
            try container.encode("/ipfs/\(metadataCID)", forKey: .metadataURL)
            try container.encode(contentType.rawValue, forKey: .contentType)
            try container.encode(size, forKey: .size)
            try container.encode(metadata, forKey: .metadata)
        }
    }

    /// An address's NFTs as the gallery shows them.
    public struct Gallery: Encodable, Sendable {
        public let address: Address
        public let tokens: [Token]

        /// One token; what is unknown is `null` (every token has every key).
        public struct Token: Encodable, Sendable {
            /// The collection's address, checksummed.
            public let contract: String
            public let tokenID: String
            @OrNull public var tokenURI: String?
            @OrNull public var mintTransaction: String?
            /// ISO 8601.
            @OrNull public var mintedAt: String?
            @OrNull public var name: String?
            @OrNull public var description: String?
            /// `/ipfs/<CID>` on our gateway, when the metadata is ours.
            @OrNull public var imageURL: String?

            enum CodingKeys: String, CodingKey {
                case contract, tokenID = "token_id", tokenURI = "token_uri", mintTransaction = "mint_transaction", mintedAt = "minted_at"
                case name, description, imageURL = "image_url"
            }
        }

        /// The fields of stored metadata the gallery shows.
        struct StoredMetadata: Decodable {
            let name: String?
            let description: String?
            let image: String?
        }
    }
}
