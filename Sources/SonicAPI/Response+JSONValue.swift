import Ethereum
import SonicHTTP

extension Response {
    /// A JSON response of an untyped value, written without `JSONEncoder` (keys sorted). Only
    /// the history page answers this way until its entries are `Codable`; every other endpoint
    /// answers a `Codable` type through `Response.json`.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: value.serialized())
    }
}
