import Foundation
import Testing
@testable import IPFS

@Suite struct ContentStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("content-\(UUID().uuidString)").path

    @Test(arguments: [(0, 0), (12, 0), (600_000, 0), (600_000, 1), (5, 1)])
    func filesComeBackByteForByte(size: Int, version: Int) throws {
        let store = try ContentStore(directory: directory)
        let data = UnixFSTests.random(size, seed: UInt64(size + version))
        let cid = try store.add(data, contentType: "image/png", cidVersion: version)
        #expect(cid == UnixFSImporter(cidVersion: version).importFile(data).root)
        let read = try #require(try store.read(cid))
        #expect(read.bytes == data)
        #expect(read.object.contentType == "image/png" && read.object.size == size)
        // The other text of the same root finds it too.
        #expect(try store.read(cid.v1)?.bytes == data)
    }

    @Test func aDamagedBlockIsAnErrorNotWrongBytes() throws {
        let store = try ContentStore(directory: directory)
        let data = UnixFSTests.random(300_000, seed: 1)
        let cid = try store.add(data, contentType: "image/jpeg")
        let object = try #require(try store.object(cid))
        let victim = "\(directory)/objects/\(ContentStore.key(cid))/\(object.blocks[0])"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: victim))
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: victim))
        #expect {
            _ = try store.read(cid)
        } throws: { error in
            "\(error)".contains("does not match its hash")
        }
    }

    @Test func unknownContentIsNil() throws {
        let store = try ContentStore(directory: directory)
        #expect(try store.read(try #require(CID("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"))) == nil)
    }

    @Test func sweepRemovesWhatDeadUploadsLeftButKeepsObjectsAndLiveUploads() throws {
        let store = try ContentStore(directory: directory)
        let kept = try store.add(UnixFSTests.random(400_000, seed: 2), contentType: "image/gif")
        // A process killed mid-upload left its staging folder (no process has pid 999999 here),
        // and this process has one in progress.
        for name in ["999999-dead", "\(getpid())-live"] {
            try FileManager.default.createDirectory(atPath: "\(directory)/staging/\(name)", withIntermediateDirectories: true)
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: "\(directory)/staging/\(name)/block"))
        }
        #expect(store.sweep() == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory)/staging") == ["\(getpid())-live"])
        #expect(store.sweep(olderThan: 0) == 1)  // an old one goes too, whoever it belongs to
        #expect(try store.read(kept) != nil)
        #expect(store.roots() == [kept.description])
    }

    @Test func anObjectIsPublishedWholeByOneRename() throws {
        let store = try ContentStore(directory: directory)
        let cid = try store.add(UnixFSTests.random(600_000, seed: 4), contentType: "image/png")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory)/staging").isEmpty)
        let folder = try FileManager.default.contentsOfDirectory(atPath: "\(directory)/objects/\(ContentStore.key(cid))")
        #expect(folder.contains("object.json") && folder.count == 5)  // three leaves, the root, the record
        #expect(try store.add(UnixFSTests.random(600_000, seed: 4), contentType: "image/png") == cid)  // stored once
    }
}
