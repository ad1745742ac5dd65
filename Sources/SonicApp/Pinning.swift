import Ethereum
import Foundation
import IPFS
import SonicChain

/// A remote pinning service the NFT uploads are also sent to; each must answer the CID we
/// computed, else the upload is reported as a mismatch.
protocol Pinner: Sendable {
    var name: String { get }
    /// Pins `data` as a file; returns the CID text the service answered.
    func pinFile(_ data: [UInt8], filename: String, cidVersion: Int) async throws(PinningError) -> String
    /// Pins a JSON document (the metadata), whose compact sorted serialization is `data`.
    func pinJSON(_ value: JSONValue, data: [UInt8], name: String, cidVersion: Int) async throws(PinningError) -> String
}

enum PinningError: Error, Sendable, CustomStringConvertible {
    case unreachable(service: String, reason: String)
    case refused(service: String, status: Int, detail: String)
    case invalidAnswer(service: String)

    var description: String {
        switch self {
        case .unreachable(let service, let reason): "\(service) could not be reached: \(reason)"
        case .refused(let service, let status, let detail): "\(service) refused the pin (HTTP \(status)): \(detail)"
        case .invalidAnswer(let service): "\(service) answered something that is not its documented JSON"
        }
    }
}

/// A multipart/form-data body with a file part and text parts.
struct MultipartBody {
    let boundary = "sonic-" + UUID().uuidString
    var bytes: [UInt8] = []

    mutating func file(_ name: String, filename: String, data: [UInt8], type: String = "application/octet-stream") {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
        bytes += data + [13, 10]
    }

    mutating func field(_ name: String, _ value: String) {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }

    func finished() -> [UInt8] { bytes + Array("--\(boundary)--\r\n".utf8) }
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}

/// A kubo node's HTTP RPC: `POST /api/v0/add` (the file, with kubo's default import options and
/// the CID version) then `POST /api/v0/pin/add?arg=<cid>`.
/// See https://docs.ipfs.tech/reference/kubo/rpc/
struct KuboPinner: Pinner {
    let baseURL: String
    let transport: any HTTPClient
    var name: String { "the kubo node" }

    func pinFile(_ data: [UInt8], filename: String, cidVersion: Int) async throws(PinningError) -> String {
        var body = MultipartBody()
        body.file("file", filename: filename, data: data)
        let options = cidVersion == 1 ? "cid-version=1&raw-leaves=true" : "cid-version=0"
        let added = try await post("/api/v0/add?\(options)&pin=false", body.finished(), contentType: body.contentType)
        guard let line = added.split(separator: 10).last,
              let answer = try? JSONDecoder().decode([String: String].self, from: Data(line)), let hash = answer["Hash"] else {
            throw .invalidAnswer(service: name)
        }
        _ = try await post("/api/v0/pin/add?arg=\(hash)", [], contentType: nil)
        return hash
    }

    func pinJSON(_ value: JSONValue, data: [UInt8], name: String, cidVersion: Int) async throws(PinningError) -> String {
        try await pinFile(data, filename: name, cidVersion: cidVersion)
    }

    private func post(_ path: String, _ body: [UInt8], contentType: String?) async throws(PinningError) -> [UInt8] {
        try await pin(transport, service: name, url: baseURL + path, body: body, headers: contentType.map { ["Content-Type: \($0)"] } ?? [])
    }
}

/// Pinata: `POST /pinning/pinFileToIPFS` (multipart `file`, `pinataOptions`, `pinataMetadata`)
/// and `POST /pinning/pinJSONToIPFS` (`pinataContent`), with a JWT as bearer token.
/// See https://docs.pinata.cloud/api-reference
struct PinataPinner: Pinner {
    let baseURL: String
    let jwt: Secret
    let transport: any HTTPClient
    var name: String { "Pinata" }

    func pinFile(_ data: [UInt8], filename: String, cidVersion: Int) async throws(PinningError) -> String {
        var body = MultipartBody()
        body.file("file", filename: filename, data: data)
        body.field("pinataOptions", "{\"cidVersion\":\(cidVersion)}")
        body.field("pinataMetadata", String(decoding: JSONValue.object(["name": .string(filename)]).serialized(), as: UTF8.self))
        return try await post("/pinning/pinFileToIPFS", body.finished(), contentType: body.contentType)
    }

    func pinJSON(_ value: JSONValue, data: [UInt8], name: String, cidVersion: Int) async throws(PinningError) -> String {
        let request: JSONValue = .object([
            "pinataContent": value, "pinataOptions": .object(["cidVersion": .integer(.init(cidVersion))]),
            "pinataMetadata": .object(["name": .string(name)]),
        ])
        return try await post("/pinning/pinJSONToIPFS", request.serialized(), contentType: "application/json")
    }

    private func post(_ path: String, _ body: [UInt8], contentType: String) async throws(PinningError) -> String {
        // The token goes only into this header; errors and logs never carry it.
        let authorization = "Authorization: Bearer " + String(decoding: jwt.revealedBytes, as: UTF8.self)
        let body = try await pin(transport, service: name, url: baseURL + path, body: body, headers: ["Content-Type: \(contentType)", authorization])
        guard let answer = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body)),
              case .string(let hash)? = answer["IpfsHash"] else { throw .invalidAnswer(service: name) }
        return hash
    }
}

/// POSTs to a pinning service; anything but 200 is its refusal.
private func pin(_ transport: any HTTPClient, service: String, url: String, body: [UInt8], headers: [String]) async throws(PinningError) -> [UInt8] {
    let response: HTTPTransport.Response
    do { response = try await transport.post(url: url, body: body, headers: headers, timeout: nil) } catch {
        throw .unreachable(service: service, reason: "\(error)")
    }
    guard response.status == 200 else {
        throw .refused(service: service, status: response.status, detail: String(decoding: response.body.prefix(200), as: UTF8.self))
    }
    return response.body
}
