import Crypto
import Ethereum
import Foundation
import SonicChain
import SonicStore

/// POSTs the alert events that have a webhook: a JSON body signed with the alert's secret
/// (HMAC-SHA256 over `<timestamp>.<body>`, in `X-Smart-Sonic-Signature: t=<timestamp>,v1=<hex>`),
/// to the destination's checked addresses only, within `timeout`; a 2xx answer delivers it,
/// anything else is tried again after `retryDelays` (then given up), each attempt in the log.
public struct WebhookDeliverer: Sendable {
    /// Seconds before the next attempt, after the first, second… failure; after the last, none.
    public static let retryDelays: [Double] = [30, 120, 600, 3_600, 21_600]
    /// Deliveries made at once per pass.
    public static let batch = 16

    let repository: any AlertRepository
    let attemptLog: any AlertRepository
    let transport: CurlMultiTransport
    let allowPrivate: Bool
    let timeout: Double

    /// - Parameters:
    ///   - repository: where the due deliveries are taken (on PostgreSQL the alert runner's role
    ///     store: a runner that lost its role takes none, so sends none).
    ///   - attemptLog: where each attempt made is recorded (the plain store: an attempt made is
    ///     recorded even when the role moved during it, so the new runner does not send it again);
    ///     `repository` when nil.
    public init(repository: any AlertRepository, attemptLog: (any AlertRepository)? = nil, transport: CurlMultiTransport, allowPrivate: Bool,
                timeout: Double = 5) {
        self.repository = repository
        self.attemptLog = attemptLog ?? repository
        self.transport = transport
        self.allowPrivate = allowPrivate
        self.timeout = timeout
    }

    /// How long a taken delivery is left to its deliverer: its attempt's time and a margin. One
    /// whose attempt is not recorded by then (the deliverer died during it) is taken again.
    var lease: Double { timeout + 30 }

    /// What a webhook receives.
    struct Payload: Encodable {
        let id: Int64
        let type: String
        let address: String
        let hash: String?
        let amountWei: String?
        let token: String?
        let message: String
        let createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, type, address, hash, amountWei = "amount_wei", token, message, createdAt = "created_at"
        }
    }

    static func body(of event: AlertEvent) -> [UInt8] {
        let payload = Payload(id: event.id, type: event.kind.rawValue, address: event.address.checksummed, hash: event.hash?.description,
                              amountWei: event.amountWei?.description, token: event.tokenSymbol, message: event.message,
                              createdAt: event.createdAt.ISO8601Format())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(payload)) ?? Data())
    }

    /// `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under secret>`.
    public static func signature(secret: String, timestamp: Int, body: [UInt8]) -> String {
        let signed = Array("\(timestamp).".utf8) + body
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=\(Data(code).map { String(format: "%02x", $0) }.joined())"
    }

    /// Makes the deliveries due at `now`; answers how many were delivered. Each is taken first
    /// (`takeDueDeliveries`), so one deliverer sends it, once, unless that deliverer dies during
    /// the attempt: then it is sent again after `lease` (receivers tell by `X-Smart-Sonic-Event`).
    @discardableResult
    public func deliverDue(now: Date) async throws(StoreError) -> Int {
        let due = try await repository.takeDueDeliveries(at: now, limit: Self.batch, leaseUntil: now.addingTimeInterval(lease))
        let outcomes = await withTaskGroup(of: (AlertEvent, String?).self) { group in
            for (event, alert) in due {
                group.addTask { (event, await attempt(event, alert, now: now)) }
            }
            var outcomes: [(AlertEvent, String?)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        var delivered = 0
        for (event, failure) in outcomes {
            let attempts = event.attempts + 1
            let retry = failure == nil || attempts > Self.retryDelays.count ? nil : now.addingTimeInterval(Self.retryDelays[attempts - 1])
            try await attemptLog.recordDeliveryAttempt(event.id, delivered: failure == nil, error: failure, retryAt: retry, at: now)
            if failure == nil { delivered += 1 }
        }
        return delivered
    }

    /// One attempt: nil when delivered, else what went wrong (for the person's log; never the secret).
    func attempt(_ event: AlertEvent, _ alert: Alert, now: Date) async -> String? {
        guard let url = alert.webhookURL, let secret = alert.webhookSecret else { return "the alert has no webhook" }
        let resolve: [String]
        do {
            resolve = try WebhookDestination(url, allowPrivate: allowPrivate).resolve(allowPrivate: allowPrivate)
        } catch {
            return "not sent: \(error)"
        }
        let body = Self.body(of: event)
        let headers = ["Content-Type: application/json", "User-Agent: SmartSonic-Webhook/1", "X-Smart-Sonic-Event: \(event.id)",
                       "X-Smart-Sonic-Signature: \(Self.signature(secret: secret, timestamp: Int(now.timeIntervalSince1970), body: body))"]
        do {
            let answer = try await transport.post(url: url, body: body, headers: headers, timeout: timeout,
                                                  guard: .init(resolve: resolve, maxResponseBytes: 16_384))
            return (200..<300).contains(answer.status) ? nil : "answered HTTP \(answer.status)"
        } catch .timeout {
            return "no answer within \(Int(timeout)) s"
        } catch .connect {
            return "could not connect"
        } catch {
            return "the exchange failed"
        }
    }
}
