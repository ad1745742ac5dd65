import Testing
@testable import SonicAlerts

/// A webhook goes only where a person may send us: http or https, and public addresses.
@Suite struct WebhookDestinationTests {
    @Test(arguments: [
        ("https://hooks.example.com/sonic?x=1", "hooks.example.com", 443),
        ("http://8.8.8.8:8080/in", "8.8.8.8", 8080),
        ("https://[2606:4700:4700::1111]/hook", "2606:4700:4700::1111", 443),
    ])
    func publicDestinationsAreAccepted(url: String, host: String, port: Int) throws {
        let destination = try WebhookDestination(url)
        #expect(destination.host == host && destination.port == port)
    }

    @Test(arguments: [
        ("ftp://example.com/x", "must use http or https, not ftp"),
        ("file:///etc/passwd", "absolute http:// or https:// URL"),
        ("hooks.example.com/x", "absolute http:// or https:// URL"),
        ("https://user:secret@example.com/", "must not carry a user name or password"),
        ("https://example.com/#frag", "must not have a #fragment"),
        ("https://example.com/" + String(repeating: "a", count: 2_100), "longer than 2048 bytes"),
    ])
    func malformedDestinationsAreRefusedSayingWhy(url: String, words: String) {
        #expect {
            try WebhookDestination(url)
        } throws: { error in
            guard case .invalid(let reason) = error as? WebhookDestination.Problem else { return false }
            return reason.contains(words)
        }
    }

    @Test(arguments: [
        "http://127.0.0.1/", "http://10.1.2.3/", "http://172.20.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/", "http://0.0.0.0/", "http://224.0.0.1/", "http://255.255.255.255/", "http://[::1]/", "http://[fd00::1]/",
        "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://198.18.0.1/",
    ])
    func privateAndReservedAddressesAreRefused(url: String) {
        #expect(throws: WebhookDestination.Problem.self) { try WebhookDestination(url) }
        #expect((try? WebhookDestination(url, allowPrivate: true)) != nil)  // allowed only when configured
    }

    @Test func aNameIsJudgedByEveryAddressItResolvesToAndThoseArePinned() throws {
        let local = try WebhookDestination("http://localhost:9/hook")  // a name: judged when resolved
        #expect(throws: WebhookDestination.Problem.self) { try local.resolve(allowPrivate: false) }
        let pinned = try local.resolve(allowPrivate: true)
        #expect(pinned.count == 1 && pinned[0].hasPrefix("localhost:9:") && (pinned[0].contains("127.0.0.1") || pinned[0].contains("[::1]")))
        #expect(try WebhookDestination("http://8.8.4.4/").resolve(allowPrivate: false) == ["8.8.4.4:80:8.8.4.4"])
        #expect(throws: WebhookDestination.Problem.unresolvable(host: "no-such-host.invalid")) {
            try WebhookDestination("https://no-such-host.invalid/").resolve(allowPrivate: false)
        }
    }
}
