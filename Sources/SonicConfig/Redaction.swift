/// What logs and answers may say of a URL: its scheme and host. A provider's key often rides in
/// the path or query (`https://rpc.example/v1/KEY`) or the user part (`https://user:KEY@host`).
public enum Redaction {
    /// `scheme://host[:port]` of `url`; the text before any path, query or credentials.
    public static func origin(of url: String) -> String {
        reducingURLs(in: url)
    }

    /// `text` with every URL in it reduced to its scheme and host, the rest of it (credentials,
    /// path, query, fragment) dropped. Text without `://` is returned as it is, cheaply.
    public static func reducingURLs(in text: String) -> String {
        guard text.contains("://") else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard isSchemeSeparator(scalars, at: index), schemeStart(scalars, before: index) != nil else {
                output.append(scalars[index])
                index += 1
                continue
            }
            // The scheme is already in `output`; what follows `://` up to the end of the URL:
            var end = index + 3
            while end < scalars.count, !ends(scalars[end]) { end += 1 }
            var authority = String(String.UnicodeScalarView(scalars[(index + 3)..<end]))
            if let slash = authority.firstIndex(where: { "/?#".contains($0) }) { authority = String(authority[..<slash]) }
            if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
            output.append(contentsOf: "://\(authority)".unicodeScalars)
            index = end
        }
        return String(output)
    }

    private static func isSchemeSeparator(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        index + 2 < scalars.count && scalars[index] == ":" && scalars[index + 1] == "/" && scalars[index + 2] == "/"
    }

    /// Where the scheme before `index` begins (a letter, then letters, digits, `+`, `-`, `.`), or nil.
    private static func schemeStart(_ scalars: [Unicode.Scalar], before index: Int) -> Int? {
        var start = index
        while start > 0, isSchemeCharacter(scalars[start - 1]) { start -= 1 }
        guard start < index, scalars[start].properties.isAlphabetic, scalars[start].isASCII else { return nil }
        return start
    }

    private static func isSchemeCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar))
    }

    /// A URL ends at white space, a quote, or a closing bracket.
    private static func ends(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || "\"'<>)]}`,".unicodeScalars.contains(scalar)
    }
}
