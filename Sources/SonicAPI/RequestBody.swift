import Foundation
import SonicHTTP

/// Reads a JSON request body strictly: JSON content type, a JSON object, no unknown fields,
/// every required field present and of the right type. Each refusal names the field.
///
/// Before any decoder runs, the body is bounded: each field's value to the length its route
/// declares (`Route.body`), the nesting to `maxDepth`, the whole to the sum of its fields'
/// bounds; so a request costs what its declared fields allow, whatever it holds.
enum RequestBody {
    /// No body of ours nests deeper than an object of arrays of objects.
    static let maxDepth = 4

    /// - Parameter fields: each accepted field and the most bytes its value may have as sent.
    static func decode<Body: Decodable>(_ request: Request, as type: Body.Type, fields: [String: Int]) throws(Problem) -> Body {
        let names = fields.keys.sorted().joined(separator: ", ")
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(status: 415, title: "Unsupported media type", detail: "send the body as application/json, not \(preview(contentType))")
        }
        guard !request.body.isEmpty else {
            throw Problem(status: 400, title: "Missing body", detail: "this endpoint takes a JSON object with \(names)")
        }
        let shape = try JSONShape.scan(request.body, maxDepth: maxDepth)
        guard shape.isObject else {
            throw Problem(status: 400, title: "Malformed JSON", detail: "the body is not a JSON object")
        }
        if let unknown = shape.members.map(\.name).sorted().first(where: { fields[$0] == nil }) {
            throw Problem(status: 400, title: "Unknown field", detail: "\"\(preview(unknown))\" is not a field of this request; accepted: \(names)",
                          field: String(unknown.prefix(64)))
        }
        for member in shape.members where member.bytes > fields[member.name]! {
            throw Problem(status: 422, title: "Too long",
                          detail: "\(member.name) is \(member.bytes) bytes long as sent; at most \(fields[member.name]!)", field: member.name)
        }
        let most = fields.values.reduce(1_024, +)
        guard request.body.count <= most else {
            throw Problem(status: 413, title: "Request too large", detail: "this endpoint takes at most \(most) bytes of JSON")
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(request.body))
        } catch let DecodingError.keyNotFound(key, _) {
            throw Problem(status: 422, title: "Missing field", detail: "\(key.stringValue) is required", field: key.stringValue)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem(status: 422, title: "Wrong type", detail: "\(field) must be a string", field: field)
        } catch {
            throw Problem(status: 400, title: "Malformed JSON", detail: "the body could not be read (\(Self.reason(error)))")
        }
    }

    /// At most 80 characters of `text`, for a message that quotes what was sent.
    static func preview(_ text: String) -> String { text.count > 80 ? String(text.prefix(77)) + "…" : text }

    static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
        }
        return "invalid JSON"
    }
}
