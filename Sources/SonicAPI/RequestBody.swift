import Foundation
import SonicHTTP

/// Reads a JSON request body strictly: JSON content type, a JSON object, no unknown fields,
/// every required field present and of the right type. Each refusal names the field.
enum RequestBody {
    static func decode<Body: Decodable>(_ request: Request, as type: Body.Type, fields: Set<String>) throws(Problem) -> Body {
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(status: 415, title: "Unsupported media type", detail: "send the body as application/json, not \(contentType)")
        }
        guard !request.body.isEmpty else {
            throw Problem(status: 400, title: "Missing body", detail: "this endpoint takes a JSON object with \(fields.sorted().joined(separator: ", "))")
        }
        let names: [String]
        do {
            names = try JSONDecoder().decode(FieldNames.self, from: Data(request.body)).names
        } catch {
            throw Problem(status: 400, title: "Malformed JSON", detail: "the body is not a JSON object (\(Self.reason(error)))")
        }
        if let unknown = names.sorted().first(where: { !fields.contains($0) }) {
            throw Problem(status: 400, title: "Unknown field", detail: "\"\(unknown)\" is not a field of this request; accepted: \(fields.sorted().joined(separator: ", "))",
                          field: unknown)
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

    /// The member names of a JSON object, whatever their values.
    struct FieldNames: Decodable {
        let names: [String]

        struct Name: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            names = try decoder.container(keyedBy: Name.self).allKeys.map(\.stringValue)
        }
    }

    static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
        }
        return "invalid JSON"
    }
}

