import Foundation
import IPFS

/// Uploaded content in the database the hosts share (PostgreSQL), instead of a folder of each
/// host's own: what one host stored, any host serves at `/ipfs/<cid>`. The same UnixFS blocks
/// and object records as `ContentStore`, under the same keys (the root's CIDv1 in base32, so
/// both versions of one root find it); reads check every block against its CID, so a damaged
/// block is an error, not wrong bytes. An object is stored with its blocks in one transaction:
/// there whole or not at all.
public struct DatabaseContentStore: ContentBackend {
    let repository: any ContentRepository

    public init(repository: any ContentRepository) {
        self.repository = repository
    }

    public func add(_ data: ArraySlice<UInt8>, contentType: String, cidVersion: Int) async throws(ContentStoreError) -> CID {
        let imported = UnixFSImporter(cidVersion: cidVersion).importFile(data)
        var blocks: [String: [UInt8]] = [:]
        for block in imported.blocks { blocks[ContentStore.key(block.cid)] = block.bytes }
        let object = StoredContent(root: ContentStore.key(imported.root), contentType: contentType, size: data.count,
                                   blockKeys: imported.blocks.map { ContentStore.key($0.cid) }, blocks: blocks)
        do { try await repository.saveContent(object) } catch { throw .io(path: "the database", reason: "\(error)") }
        return imported.root
    }

    public func read(_ cid: CID) async throws(ContentStoreError) -> (object: ContentStore.Object, bytes: [UInt8])? {
        let stored: StoredContent?
        do { stored = try await repository.content(root: ContentStore.key(cid)) } catch { throw .io(path: "the database", reason: "\(error)") }
        guard let stored else { return nil }
        let bytes = try ContentStore.assemble(cid, size: stored.size) { stored.blocks[ContentStore.key($0)] }
        return (ContentStore.Object(root: cid.description, contentType: stored.contentType, size: stored.size, blocks: stored.blockKeys), bytes)
    }

    public func remove(_ cid: CID) async throws(ContentStoreError) -> Bool {
        do { return try await repository.removeContent(root: ContentStore.key(cid)) } catch { throw .io(path: "the database", reason: "\(error)") }
    }
}
