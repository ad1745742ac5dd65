import Testing
@testable import SonicConfig

/// On-chain text fit to show: what a token contract says of itself, cleaned and bounded.
@Suite struct TokenTextTests {
    @Test(arguments: [
        ("USDC", "USDC"),
        ("  US\u{0000}DC  ", "US DC"),                   // a control character becomes a space
        ("U\u{202E}CDS", "UCDS"),                        // a right-to-left override goes
        ("W\u{200B}S", "WS"),                            // so does a zero-width space
        ("line\none\r\n\ttwo", "line one two"),          // runs of spaces become one
        ("", "?"), ("\u{0007}\u{202E}", "?"),            // nothing left
        (String(repeating: "A", count: 40), String(repeating: "A", count: 32)),
        ("ÉTÉ💰", "ÉTÉ💰"),
    ])
    func symbols(written: String, shown: String) {
        #expect(KnownToken.shown(written) == shown)
    }

    @Test func namesKeepSixtyFourCharacters() {
        #expect(KnownToken.shownName(String(repeating: "n", count: 1_000)).count == 64)
        #expect(KnownToken.shownName("Wrapped\tSonic") == "Wrapped Sonic")
    }
}
