import SonicApp

extension Route.Call {
    /// The query's whole number `name` within `range` (`fallback` when it is absent), or a
    /// problem naming the field and saying what is accepted. At most 4 characters are read as
    /// a number; what is quoted back is cut to 16.
    func number(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(AppError) -> Int {
        guard let text = request.queryItems[name] else { return fallback }
        guard text.count <= 4, let number = Int(text), range.contains(number) else {
            throw AppError.invalidInput(field: name, summary: "Invalid \(name)",
                                        detail: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text.prefix(16))\"")
        }
        return number
    }
}
