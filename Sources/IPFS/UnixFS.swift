/// Imports a file as kubo's `ipfs add` does by default: 256 KiB chunks, the balanced layout
/// (at most 174 links per node), dag-pb nodes holding UnixFS `File` data, and a CIDv0 root.
/// With `rawLeaves` (what `ipfs add --cid-version 1` does) leaves are raw blocks and CIDs are
/// version 1. See https://github.com/ipfs/specs (UnixFS, dag-pb).
public struct UnixFSImporter: Sendable {
    public static let chunkSize = 262_144
    public static let maxLinks = 174

    public let cidVersion: Int
    public var rawLeaves: Bool { cidVersion == 1 }

    public init(cidVersion: Int = 0) {
        precondition(cidVersion == 0 || cidVersion == 1)
        self.cidVersion = cidVersion
    }

    /// A stored block: its CID and bytes.
    public struct Block: Sendable, Equatable {
        public let cid: CID
        public let bytes: [UInt8]
    }

    /// The root CID and every block of the file, leaves first, the root last.
    public struct Result: Sendable {
        public let root: CID
        public let blocks: [Block]
    }

    /// A node of the tree while it is built: its CID, file bytes below it, and cumulative size.
    struct Node {
        let cid: CID
        let fileSize: Int
        /// The block plus every block below it, as dag-pb links record it (`Tsize`).
        let totalSize: Int
    }

    public func importFile(_ data: [UInt8]) -> Result { importFile(data[...]) }

    /// The same for a part of a larger buffer (an upload inside its request body), not copied whole.
    public func importFile(_ data: ArraySlice<UInt8>) -> Result {
        var blocks: [Block] = []
        var leaves: [Node] = []
        var offset = data.startIndex
        repeat {
            leaves.append(leaf(data[offset..<min(offset + Self.chunkSize, data.endIndex)], into: &blocks))
            offset += Self.chunkSize
        } while offset < data.endIndex
        guard leaves.count > 1 else { return Result(root: leaves[0].cid, blocks: blocks) }

        // Balanced layout: fill a node with up to 174 children; when the root is full, the next
        // root has the old one as its first child and grows a new subtree of the same depth.
        var remaining = leaves[...]
        var root = parent(Array(remaining.prefix(Self.maxLinks)), into: &blocks)
        remaining = remaining.dropFirst(Self.maxLinks)
        var depth = 1
        while !remaining.isEmpty {
            var children = [root]
            while children.count < Self.maxLinks && !remaining.isEmpty {
                children.append(subtree(depth: depth, from: &remaining, into: &blocks))
            }
            root = parent(children, into: &blocks)
            depth += 1
        }
        return Result(root: root.cid, blocks: blocks)
    }

    /// A full-as-possible subtree of `depth` levels of internal nodes over the next leaves.
    func subtree(depth: Int, from leaves: inout ArraySlice<Node>, into blocks: inout [Block]) -> Node {
        if depth == 0 {
            return leaves.removeFirst()
        }
        var children: [Node] = []
        while children.count < Self.maxLinks && !leaves.isEmpty {
            children.append(subtree(depth: depth - 1, from: &leaves, into: &blocks))
        }
        return parent(children, into: &blocks)
    }

    func leaf(_ chunk: ArraySlice<UInt8>, into blocks: inout [Block]) -> Node {
        if rawLeaves {
            let bytes = Array(chunk)
            let cid = CID(version: 1, codec: .raw, block: bytes)
            blocks.append(Block(cid: cid, bytes: bytes))
            return Node(cid: cid, fileSize: chunk.count, totalSize: chunk.count)
        }
        let block = DagPB.leaf(chunk)
        let cid = CID(version: cidVersion, codec: .dagPB, block: block)
        blocks.append(Block(cid: cid, bytes: block))
        return Node(cid: cid, fileSize: chunk.count, totalSize: block.count)
    }

    func parent(_ children: [Node], into blocks: inout [Block]) -> Node {
        let fileSize = children.reduce(0) { $0 + $1.fileSize }
        let data = UnixFSData.file(data: nil, fileSize: fileSize, blockSizes: children.map(\.fileSize))
        let block = DagPB.node(links: children.map { DagPB.Link(hash: $0.cid.bytes, name: "", totalSize: $0.totalSize) }, data: data)
        let cid = CID(version: cidVersion, codec: .dagPB, block: block)
        blocks.append(Block(cid: cid, bytes: block))
        return Node(cid: cid, fileSize: fileSize, totalSize: block.count + children.reduce(0) { $0 + $1.totalSize })
    }
}

/// The dag-pb block format: `PBNode { repeated PBLink Links = 2; optional bytes Data = 1; }`,
/// links written first, as the spec's canonical form requires.
enum DagPB {
    struct Link {
        let hash: [UInt8]
        let name: String
        let totalSize: Int
    }

    static func node(links: [Link], data: [UInt8]) -> [UInt8] {
        var out = Protobuf(capacity: data.count + 16 + links.count * 64)
        for link in links {
            var encoded = Protobuf()
            encoded.bytes(1, link.hash)
            encoded.bytes(2, Array(link.name.utf8))
            encoded.varint(3, UInt64(link.totalSize))
            out.bytes(2, encoded.buffer)
        }
        out.bytes(1, data)
        return out.buffer
    }

    /// A leaf: a node without links whose data is a UnixFS file of `chunk`, the same bytes as
    /// `node(links: [], data: UnixFSData.file(data: chunk, …))`, with the chunk copied once.
    static func leaf(_ chunk: ArraySlice<UInt8>) -> [UInt8] {
        var head = Protobuf(), tail = Protobuf()
        head.varint(1, 2)
        if !chunk.isEmpty { head.prefix(2, length: chunk.count) }
        tail.varint(3, UInt64(chunk.count))
        var out = Protobuf(capacity: chunk.count + 32)
        out.prefix(1, length: head.buffer.count + chunk.count + tail.buffer.count)
        out.buffer += head.buffer
        out.buffer.append(contentsOf: chunk)
        out.buffer += tail.buffer
        return out.buffer
    }
}

/// UnixFS's `Data` message: `Type = 1` (File = 2), `Data = 2`, `filesize = 3`, `blocksizes = 4`.
enum UnixFSData {
    static func file(data: ArraySlice<UInt8>?, fileSize: Int, blockSizes: [Int]) -> [UInt8] {
        var out = Protobuf(capacity: (data?.count ?? 0) + 32 + blockSizes.count * 10)
        out.varint(1, 2)
        if let data, !data.isEmpty { out.bytes(2, data) }
        out.varint(3, UInt64(fileSize))
        for size in blockSizes { out.varint(4, UInt64(size)) }
        return out.buffer
    }
}

/// Just enough protocol buffers to write the two messages above, into a buffer sized once
/// (a 256 KiB leaf is copied in, never regrown).
struct Protobuf {
    var buffer: [UInt8] = []

    init(capacity: Int = 0) { buffer.reserveCapacity(capacity) }

    mutating func varint(_ field: Int, _ value: UInt64) {
        raw(UInt64(field << 3))
        raw(value)
    }

    mutating func bytes(_ field: Int, _ value: some Collection<UInt8>) {
        prefix(field, length: value.count)
        buffer.append(contentsOf: value)
    }

    /// The tag and length of a length-delimited field whose `length` bytes follow.
    mutating func prefix(_ field: Int, length: Int) {
        raw(UInt64(field << 3 | 2))
        raw(UInt64(length))
    }

    private mutating func raw(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }
}
