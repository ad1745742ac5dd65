import Foundation

/// Data files in Tests/EthereumTests/Vectors (see SOURCES.md there).
enum Vectors {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Vectors")

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}

func hex(_ text: String) -> [UInt8] {
    let body = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
    var bytes: [UInt8] = []
    var index = body.startIndex
    while index < body.endIndex {
        let next = body.index(index, offsetBy: 2)
        bytes.append(UInt8(body[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}
