import Foundation
import CFastCGI
import SonicHTTP

/// One accepted FastCGI request: reads its parameters and body, writes the response.
/// Only the thread that accepted the request touches it.
struct FastCGIExchange {
    let request: UnsafeMutablePointer<FCGX_Request>

    init(_ request: UnsafeMutablePointer<FCGX_Request>) { self.request = request }

    func parameter(_ name: String) -> String? {
        guard let parameters = request.pointee.envp else { return nil }
        return FastCGIMapping.parameter(name, in: parameters)
    }

    func readRequest(bodyLimit: (Request) -> Int) -> Result<Request, Problem> {
        var incoming: Request
        do throws(Problem) {
            incoming = try request.pointee.envp.map(FastCGIMapping.request) ?? Request(method: .get, path: "/")
        } catch {
            return .failure(error)
        }
        let length = Int(parameter("CONTENT_LENGTH") ?? "") ?? 0
        let maxBody = bodyLimit(incoming)
        guard length <= maxBody else {
            discardBody()  // read through, never kept: the connection stays in step for its next request
            return .failure(Problem(status: 413, title: "Request body too large",
                                    detail: "the body has \(length) bytes; at most \(maxBody) are accepted here"))
        }
        if length > 0 {
            // Filled straight from libfcgi's buffer, never zeroed first (a 10 MB upload is
            // otherwise written twice).
            var read: Int32 = 0
            let body = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                read = buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: length) {
                    FCGX_GetStr($0, Int32(length), request.pointee.in)
                }
                count = max(0, Int(read))
            }
            guard read == length else {
                return .failure(Problem(status: 400, title: "Incomplete body",
                                        detail: "expected \(length) bytes of body, got \(max(0, Int(read)))"))
            }
            incoming.body = body
        }
        // Read the input to its end (the empty record nginx sends after the body), so nothing is
        // left unread on the connection: a parked request's connection is watched for
        // readability (its client gone), and closing one with unread data resets it, losing the
        // answer just written.
        discardBody()
        return .success(incoming)
    }

    /// Reads the rest of the input in pieces and drops them.
    private func discardBody() {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 4096) { scratch in
            while FCGX_GetStr(scratch.baseAddress!, Int32(scratch.count), request.pointee.in) > 0 {}
        }
    }

    func write(_ response: Response) {
        put(FastCGIMapping.head(of: response))
        if let stream = response.stream {
            stream { put($0) }
        } else {
            put(response.body)
        }
    }

    private func put(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                _ = FCGX_PutStr($0, Int32(buffer.count), request.pointee.out)
            }
        }
    }
}
