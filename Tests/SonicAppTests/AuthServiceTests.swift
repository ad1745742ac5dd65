import Ethereum
import Foundation
import AppTestSupport
import Testing
@testable import SonicApp

/// Sign-In with Ethereum: the message must carry our domain, chain and a nonce we issued, not
/// yet used; the session it opens is found by its token and ends on sign-out.
@Suite struct AuthServiceTests {
    static let key = try! PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")

    let services: TestServices
    let auth: AuthService

    init() throws {
        services = try TestServices()
        auth = AuthService(context: services.context, sessions: services.store, publicOrigin: "https://sonic.example")
    }

    /// A signed message for `nonce`, with what the test changes in it.
    func signed(nonce: String, domain: String = "sonic.example", uri: String = "https://sonic.example", chainID: UInt64 = 31337,
                issued: Date? = nil, expires: Date? = nil, address: Address? = nil, by key: PrivateKey = Self.key)
        -> (message: String, signature: String)
    {
        let message = SIWEMessage(domain: domain, address: address ?? key.address, statement: "Sign in to Smart Sonic.", uri: uri,
                                  chainID: chainID, nonce: nonce, issuedAt: issued ?? services.clock.now(), expirationTime: expires)
        let signature = PersonalMessage.sign(Array(message.text.utf8), with: key)
        return (message.text, Hex.encode(signature.bytes65))
    }

    @Test func aSignedMessageOpensASessionOnceAndSignOutEndsIt() async throws {
        let nonce = try await auth.nonce(for: Self.key.address)
        #expect(nonce.domain == "sonic.example" && nonce.chainId == 31337 && nonce.address == Self.key.address.checksummed)
        let (message, signature) = signed(nonce: nonce.nonce)
        let session = try await auth.signIn(message: message, signature: signature)
        #expect(session.address == Self.key.address && session.expiresAt == services.clock.now().addingTimeInterval(86_400))
        let token = String(decoding: session.token.revealedBytes, as: UTF8.self)
        #expect(try await auth.session(token: token)?.csrfToken == session.csrfToken)
        #expect(!"\(session.token)".contains(token))  // the token never prints

        // The same message again: the nonce is used up.
        await #expect(throws: AppError.self) { try await auth.signIn(message: message, signature: signature) }
        try await auth.signOut(token: token)
        #expect(try await auth.session(token: token) == nil)
    }

    @Test(arguments: ["domain", "uri", "chain", "expired", "future", "signer", "nonce"])
    func aMessageThatDoesNotHoldIsRefusedAndUsesUpItsNonce(_ fault: String) async throws {
        let nonce = try await auth.nonce(for: nil).nonce
        let other = try PrivateKey(hex: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")
        let (message, forged) = switch fault {
        case "domain": signed(nonce: nonce, domain: "evil.example")
        case "uri": signed(nonce: nonce, uri: "https://evil.example/login")
        case "chain": signed(nonce: nonce, chainID: 146)
        case "future": signed(nonce: nonce, issued: services.clock.now().addingTimeInterval(600))
        case "expired": signed(nonce: nonce, expires: services.clock.now().addingTimeInterval(-1))
        case "nonce": signed(nonce: "notissuedhere1234")
        default: signed(nonce: nonce)
        }
        let signature = fault == "signer" ? signed(nonce: nonce, by: other).signature : forged
        do {
            _ = try await auth.signIn(message: message, signature: signature)
            Issue.record("\(fault): signed in")
        } catch {
            guard case .unauthenticated(let field, _, _) = error else { Issue.record("\(fault): \(error)"); return }
            #expect(field == (fault == "signer" ? "signature" : "message"), "\(fault)")
        }
        // Whatever went wrong with an issued nonce, it cannot be tried again.
        guard fault != "nonce" else { return }
        let honest = signed(nonce: nonce)
        await #expect(throws: AppError.self) { try await auth.signIn(message: honest.message, signature: honest.signature) }
    }

    @Test func malformedInputNamesTheField() async throws {
        await #expect(throws: AppError.self) { try await auth.signIn(message: "hello", signature: "0x00") }
        do { _ = try await auth.signIn(message: signed(nonce: "abcdefgh12345678").message, signature: "0x1234") } catch {
            #expect(error.field == "signature" && error.summary == "Invalid signature")
        }
    }

    /// A message that expires within the session's lifetime ends the session then.
    @Test func theSessionEndsWhenTheMessageExpires() async throws {
        let nonce = try await auth.nonce(for: nil).nonce
        let expires = services.clock.now().addingTimeInterval(3_600)
        let (message, signature) = signed(nonce: nonce, expires: expires)
        let session = try await auth.signIn(message: message, signature: signature)
        #expect(session.expiresAt == expires)
    }

    /// The high-s twin of a wallet's signature is the same signature.
    @Test func aHighSSignatureSignsIn() async throws {
        let nonce = try await auth.nonce(for: nil).nonce
        let (message, low) = signed(nonce: nonce)
        let signature = try Signature(hex: low)
        let order = UInt256(bigEndian: try Hex.decode("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"))!
        let high = Signature(r: signature.r, s: order.subtracting(UInt256(bigEndian: signature.s)!)!.bytes32, yParity: signature.yParity ^ 1)
        #expect(try await auth.signIn(message: message, signature: Hex.encode(high.bytes65)).address == Self.key.address)
    }

    /// A contract wallet signs in with what its contract accepts (EIP-1271), as itself; a
    /// signature its contract refuses is refused.
    @Test func aContractWalletSignsInThroughItsContract() async throws {
        let wallet = try Address("0x" + String(repeating: "5a", count: 20))
        services.chain.update { $0.contractWallets[wallet] = Self.key.address }
        let nonce = try await auth.nonce(for: wallet).nonce
        let (message, signature) = signed(nonce: nonce, address: wallet)
        #expect(try await auth.signIn(message: message, signature: signature).address == wallet)

        let again = try await auth.nonce(for: wallet).nonce
        let stranger = try PrivateKey(hex: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")
        let refused = signed(nonce: again, address: wallet, by: stranger)
        do {
            _ = try await auth.signIn(message: refused.message, signature: refused.signature)
            Issue.record("a signature the wallet's contract refuses signed in")
        } catch {
            #expect(error.field == "signature")
        }
    }
}
