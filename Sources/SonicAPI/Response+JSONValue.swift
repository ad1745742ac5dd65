import Ethereum
import SonicHTTP

extension Response {
    /// A JSON response of an untyped value, written without `JSONEncoder` (keys sorted).
    public static func json(_ value: JSONValue, status: Int = 200) -> Response {
        Response(status: status, headers: [("Content-Type", "application/json")], body: value.serialized())
    }
}
