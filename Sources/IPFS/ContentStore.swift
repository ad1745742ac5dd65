import Crypto
import Foundation

/// Where the files people upload are kept, by CID, and served back byte for byte: a folder of
/// this host's own (`ContentStore`), or a database the hosts share (PostgreSQL, in `SonicApp`).
public protocol ContentBackend: Sendable {
    /// Stores `data` as a UnixFS file and returns its root CID (version 0 or 1).
    func add(_ data: ArraySlice<UInt8>, contentType: String, cidVersion: Int) async throws(ContentStoreError) -> CID
    /// The file's record and bytes (either version of the same root), each block checked against its CID; nil when not stored.
    func read(_ cid: CID) async throws(ContentStoreError) -> (object: ContentStore.Object, bytes: [UInt8])?
    /// Removes the stored file; answers whether there was one.
    func remove(_ cid: CID) async throws(ContentStoreError) -> Bool
}

/// The embedded pinning back-end: the files people upload, stored by CID like a small IPFS
/// repository and served back byte for byte.
///
/// Layout under `directory`: `objects/<base32 of the root CID>/` holds one file's blocks (named by
/// CID) and `object.json` (content type, size, block list). An upload writes everything into
/// `staging/<pid>-<uuid>/`, flushes it, and publishes it with one `rename` of the folder: an
/// object is there whole or not at all, and a process killed mid-upload leaves only a staging
/// folder, which `sweep` removes once its process is gone. Reads check every block's hash, so a
/// damaged block is an error, not wrong bytes.
public final class ContentStore: ContentBackend {
    public let directory: String
    let objectsDirectory: String
    let stagingDirectory: String

    public struct Object: Codable, Sendable, Equatable {
        public let root: String
        public let contentType: String
        public let size: Int
        public let blocks: [String]

        public init(root: String, contentType: String, size: Int, blocks: [String]) {
            self.root = root
            self.contentType = contentType
            self.size = size
            self.blocks = blocks
        }
    }

    public init(directory: String) throws(ContentStoreError) {
        self.directory = directory
        objectsDirectory = directory + "/objects"
        stagingDirectory = directory + "/staging"
        for folder in [objectsDirectory, stagingDirectory] {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw .io(path: folder, reason: "\(error)")
            }
        }
    }

    /// Stores `data` as a UnixFS file and returns its root CID (version 0 or 1, as kubo's
    /// `ipfs add` with that `--cid-version` would).
    @discardableResult
    public func add(_ data: [UInt8], contentType: String, cidVersion: Int = 0) throws(ContentStoreError) -> CID {
        try add(data[...], contentType: contentType, cidVersion: cidVersion)
    }

    /// The same for a part of a larger buffer (an upload inside its request body).
    @discardableResult
    public func add(_ data: ArraySlice<UInt8>, contentType: String, cidVersion: Int = 0) throws(ContentStoreError) -> CID {
        let imported = UnixFSImporter(cidVersion: cidVersion).importFile(data)
        let target = objectFolder(imported.root)
        if FileManager.default.fileExists(atPath: target + "/object.json") { return imported.root }
        let staging = "\(stagingDirectory)/\(getpid())-\(UUID().uuidString)"
        do { try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false) } catch {
            throw .io(path: staging, reason: "\(error)")
        }
        do throws(ContentStoreError) {
            var written: Set<String> = []
            for block in imported.blocks where written.insert(Self.key(block.cid)).inserted {
                try Self.writeFlushed(block.bytes, to: "\(staging)/\(Self.key(block.cid))")
            }
            let object = Object(root: imported.root.description, contentType: contentType, size: data.count,
                                blocks: imported.blocks.map { Self.key($0.cid) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            guard let json = try? encoder.encode(object) else { throw .io(path: staging, reason: "the record could not be written") }
            try Self.writeFlushed(Array(json), to: "\(staging)/object.json")
            Self.flushFolder(staging)
            // Publishing is this one rename; an identical upload may have won the race.
            if rename(staging, target) != 0 {
                let reason = String(cString: strerror(errno))
                guard FileManager.default.fileExists(atPath: target + "/object.json") else { throw .io(path: target, reason: reason) }
                try? FileManager.default.removeItem(atPath: staging)
            }
            Self.flushFolder(objectsDirectory)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        return imported.root
    }

    /// The stored object for `cid` (either version of the same root), or nil.
    public func object(_ cid: CID) throws(ContentStoreError) -> Object? {
        guard let data = FileManager.default.contents(atPath: objectFolder(cid) + "/object.json") else { return nil }
        do { return try JSONDecoder().decode(Object.self, from: data) } catch {
            throw .corrupt(cid: cid.description, reason: "its object record is unreadable")
        }
    }

    /// The file's bytes, reassembled from its blocks (each checked against its CID).
    public func read(_ cid: CID) throws(ContentStoreError) -> (object: Object, bytes: [UInt8])? {
        guard let object = try object(cid) else { return nil }
        let folder = objectFolder(cid)
        return (object, try Self.assemble(cid, size: object.size) { FileManager.default.contents(atPath: "\(folder)/\(Self.key($0))").map(Array.init) })
    }

    /// A file's bytes from its blocks (`block` finds one by CID, nil when missing), each checked
    /// against its CID, and their total against `size`.
    public static func assemble(_ root: CID, size: Int, block: (CID) -> [UInt8]?) throws(ContentStoreError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(size)
        try append(root, block: block, into: &out, depth: 0)
        guard out.count == size else {
            throw .corrupt(cid: root.description, reason: "the blocks hold \(out.count) bytes, the record says \(size)")
        }
        return out
    }

    /// Removes the stored object for `cid` (either version of the same root): its folder is
    /// moved out of `objects/` with one `rename`, so it is there whole or gone, then deleted.
    /// Returns whether there was one.
    @discardableResult
    public func remove(_ cid: CID) throws(ContentStoreError) -> Bool {
        let folder = objectFolder(cid)
        guard FileManager.default.fileExists(atPath: folder) else { return false }
        let doomed = "\(stagingDirectory)/\(getpid())-removed-\(UUID().uuidString)"
        guard rename(folder, doomed) == 0 else {
            let reason = String(cString: strerror(errno))
            if !FileManager.default.fileExists(atPath: folder) { return false }  // another process removed it first
            throw .io(path: folder, reason: reason)
        }
        Self.flushFolder(objectsDirectory)
        try? FileManager.default.removeItem(atPath: doomed)  // what is left, `sweep` removes
        return true
    }

    /// Every stored object's root CID text.
    public func roots() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: objectsDirectory)) ?? []).compactMap { name in
            guard let data = FileManager.default.contents(atPath: "\(objectsDirectory)/\(name)/object.json"),
                  let object = try? JSONDecoder().decode(Object.self, from: data) else { return nil }
            return object.root
        }
    }

    /// Removes what interrupted uploads left: staging folders whose process is gone, or older
    /// than `age` seconds. Returns how many went.
    @discardableResult
    public func sweep(olderThan age: Double = 3_600, now: Date = Date()) -> Int {
        let manager = FileManager.default
        var removed = 0
        for name in (try? manager.contentsOfDirectory(atPath: stagingDirectory)) ?? [] {
            let path = "\(stagingDirectory)/\(name)"
            let owner = name.split(separator: "-").first.flatMap { Int32($0) }
            let orphaned = owner.map { $0 != getpid() && kill($0, 0) != 0 && errno == ESRCH } ?? true
            let modified = (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
            if orphaned || now.timeIntervalSince(modified) >= age, (try? manager.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }

    private static func append(_ cid: CID, block find: (CID) -> [UInt8]?, into out: inout [UInt8], depth: Int) throws(ContentStoreError) {
        guard depth < 16 else { throw .corrupt(cid: cid.description, reason: "the tree is too deep") }
        guard let block = find(cid) else {
            throw .corrupt(cid: cid.description, reason: "a block is missing")
        }
        guard Array(SHA256.hash(data: block)) == cid.digest else {
            throw .corrupt(cid: cid.description, reason: "a block does not match its hash")
        }
        if cid.codec == .raw {
            out += block
            return
        }
        guard let node = DagPB.decode(block) else { throw .corrupt(cid: cid.description, reason: "a block is not dag-pb") }
        if node.links.isEmpty {
            out += node.fileData
            return
        }
        for link in node.links {
            guard let child = CID(bytes: link) else { throw .corrupt(cid: cid.description, reason: "a link is not a CID") }
            try append(child, block: find, into: &out, depth: depth + 1)
        }
    }

    /// Objects and blocks are named by their CID's version-1 bytes, so both versions of one
    /// root find the same object.
    public static func key(_ cid: CID) -> String { Base32.encode(cid.v1.bytes) }
    func objectFolder(_ cid: CID) -> String { "\(objectsDirectory)/\(Self.key(cid))" }

    /// Writes `bytes` to a new file and flushes it to the disk.
    static func writeFlushed(_ bytes: [UInt8], to path: String) throws(ContentStoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 { if errno == EINTR { continue }; return false }
                written += count
            }
            return fsync(descriptor) == 0
        }
        guard ok else { throw .io(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Flushes a folder's entries (new names, a rename) to the disk.
    static func flushFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

public enum ContentStoreError: Error, Sendable, CustomStringConvertible {
    case io(path: String, reason: String)
    case corrupt(cid: String, reason: String)

    public var description: String {
        switch self {
        case .io(let path, let reason): "cannot write \(path): \(reason)"
        case .corrupt(let cid, let reason): "the stored content \(cid) is damaged: \(reason)"
        }
    }
}

extension CID {
    /// From the binary form inside a dag-pb link: a v0 multihash or a v1 CID.
    init?(bytes: [UInt8]) {
        if bytes.count == 34, bytes[0] == 0x12, bytes[1] == 0x20 {
            self.init(version: 0, codec: .dagPB, digest: Array(bytes[2...]))
        } else if bytes.count == 36, bytes[0] == 0x01, let codec = Codec(rawValue: bytes[1]), bytes[2] == 0x12, bytes[3] == 0x20 {
            self.init(version: 1, codec: codec, digest: Array(bytes[4...]))
        } else {
            return nil
        }
    }
}

extension DagPB {
    struct Decoded {
        var links: [[UInt8]] = []
        var fileData: [UInt8] = []
    }

    /// The link hashes and the UnixFS file bytes of a dag-pb block; nil when malformed.
    static func decode(_ block: [UInt8]) -> Decoded? {
        var decoded = Decoded()
        var reader = ProtobufReader(block)
        while let (field, value) = reader.next() {
            guard case .bytes(let bytes) = value else { continue }
            if field == 2 {
                var link = ProtobufReader(bytes)
                while let (linkField, linkValue) = link.next() {
                    if linkField == 1, case .bytes(let hash) = linkValue { decoded.links.append(hash) }
                }
                guard link.ok else { return nil }
            } else if field == 1 {
                var data = ProtobufReader(bytes)
                while let (dataField, dataValue) = data.next() {
                    if dataField == 2, case .bytes(let content) = dataValue { decoded.fileData = content }
                }
                guard data.ok else { return nil }
            }
        }
        return reader.ok ? decoded : nil
    }
}

/// Reads protobuf fields: varints and length-delimited bytes (what dag-pb and UnixFS use).
struct ProtobufReader {
    enum Value { case varint(UInt64), bytes([UInt8]) }

    let buffer: [UInt8]
    var offset = 0
    /// False once something malformed was met.
    private(set) var ok = true

    init(_ buffer: [UInt8]) { self.buffer = buffer }

    mutating func next() -> (Int, Value)? {
        guard ok, offset < buffer.count else { return nil }
        guard let key = varint() else { ok = false; return nil }
        let field = Int(key >> 3)
        switch key & 7 {
        case 0:
            guard let value = varint() else { ok = false; return nil }
            return (field, .varint(value))
        case 2:
            guard let length = varint(), length <= UInt64(buffer.count - offset) else { ok = false; return nil }
            let bytes = Array(buffer[offset..<offset + Int(length)])
            offset += Int(length)
            return (field, .bytes(bytes))
        default:
            ok = false
            return nil
        }
    }

    private mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < buffer.count, shift < 64 {
            let byte = buffer[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
