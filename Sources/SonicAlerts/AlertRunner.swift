import Foundation
import Logging
import SonicStore

/// Runs the alert engine and the webhook deliveries on a thread of their own, every `interval`
/// seconds (premium end dates once an hour), until `stop()`: in sonic-sync, the one process
/// that writes them.
public final class AlertRunner: Sendable {
    private let stopRequest = DispatchSemaphore(value: 0)
    private let ended = DispatchSemaphore(value: 0)

    public init(engine: AlertEngine, deliverer: WebhookDeliverer, premiumEnd: AlertEngine.PremiumEnd?, interval: Double = 1,
                premiumEvery: Double = 3_600, logger: Logger) {
        let (stopRequest, ended) = (stopRequest, ended)
        let thread = Thread {
            try? "alerts".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            defer { ended.signal() }
            var premiumChecked = Date.distantPast
            repeat {
                let now = Date()
                do { try engine.evaluate(now: now) } catch { logger.warning("alerts: \(error)") }
                let checkPremium = premiumEnd != nil && now.timeIntervalSince(premiumChecked) >= premiumEvery
                if checkPremium { premiumChecked = now }
                let done = DispatchSemaphore(value: 0)
                Task.detached {
                    if checkPremium, let premiumEnd {
                        do { try await engine.checkPremium(now: now, premiumEnd: premiumEnd) } catch { logger.warning("alerts: premium: \(error)") }
                    }
                    do { try await deliverer.deliverDue(now: now) } catch { logger.warning("alerts: deliveries: \(error)") }
                    done.signal()
                }
                done.wait()
            } while stopRequest.wait(timeout: .now() + interval) == .timedOut
        }
        thread.start()
    }

    /// Ends the thread after the pass in hand and waits until it has ended.
    public func stop() {
        stopRequest.signal()
        ended.wait()
    }
}
