import Crypto
import Foundation
import Testing
@testable import IPFS

/// UnixFS import against Debian's `ipfs_cid`, which computes kubo's default CIDv0.
@Suite struct UnixFSTests {
    static func reference(_ data: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cid-\(UUID().uuidString)")
        try Data(data).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ipfs_cid")
        process.arguments = [file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try JSONSerialization.jsonObject(with: text) as! [String: String]
        return json["CIDv0"]!
    }

    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    @Test(arguments: [0, 1, 12, 262_143, 262_144, 262_145, 3 * 262_144 + 17, 5_000_000])
    func cidV0MatchesKubo(size: Int) throws {
        let data = size == 12 ? Array("hello world\n".utf8) : Self.random(size, seed: UInt64(size))
        let imported = UnixFSImporter().importFile(data)
        #expect(imported.root.description == (try Self.reference(data)))
        if size == 12 { #expect(imported.root.description == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o") }
        #expect(imported.blocks.last?.cid == imported.root)
    }

    /// More than 174 chunks: the balanced layout's second level of internal nodes.
    @Test func deepFileMatchesKubo() throws {
        let data = Self.random(175 * 262_144 + 1_000, seed: 9)
        let imported = UnixFSImporter().importFile(data)
        #expect(imported.root.description == (try Self.reference(data)))
        #expect(imported.blocks.count == 176 + 2 + 1)  // leaves, two first-level nodes, the root
    }

    @Test func rawLeavesGiveVersionOneCIDs() throws {
        let hello = Array("hello world\n".utf8)
        let single = UnixFSImporter(cidVersion: 1).importFile(hello)
        // One chunk: the file is its raw leaf; the CID is 0x01 0x55 and the SHA-256 multihash.
        #expect(single.root.codec == .raw && single.root.digest == Array(SHA256.hash(data: hello)))
        #expect(single.root.description == "b" + Base32.encode([0x01, 0x55, 0x12, 0x20] + Array(SHA256.hash(data: hello))))
        #expect(single.root.description.hasPrefix("bafkrei"))
        let big = UnixFSImporter(cidVersion: 1).importFile(Self.random(600_000, seed: 3))
        #expect(big.root.version == 1 && big.root.codec == .dagPB && big.root.description.hasPrefix("bafybei"))
        #expect(big.blocks.filter { $0.cid.codec == .raw }.map(\.bytes.count) == [262_144, 262_144, 75_712])
    }

    @Test func cidTextRoundTrips() throws {
        let v0 = try #require(CID("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"))
        #expect(v0.description == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
        // ipfs_cid prints the same node as CIDv1 too.
        #expect(v0.v1.description == "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby")
        #expect(CID(v0.v1.description) == v0.v1)
        for junk in ["", "Qm", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5O0", "bafy!", "zb2rh", "../etc/passwd"] {
            #expect(CID(junk) == nil, "\(junk)")
        }
    }
}
