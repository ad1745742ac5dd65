import SonicHTTP

extension HTTPFields {
    /// Header fields from names and values as a test writes them (`["cookie": "…"]`).
    init(_ text: [String: String]) {
        self.init(text.sorted { $0.key < $1.key }.map { HTTPField(name: HTTPField.Name($0.key)!, value: $0.value) })
    }
}

extension Response {
    /// The value of the header called `name` (any case), as a client reads it.
    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
}
