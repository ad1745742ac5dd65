import Foundation
import Logging
import SonicChain
import SonicStore

/// Runs the alert engine and the webhook deliveries on a thread of their own, every `interval`
/// seconds (premium end dates once an hour), until `stop()`: in sonic-sync, the one process
/// that writes them. On PostgreSQL, with `role`, only while this process holds the alert
/// runner's lock: one runner across hosts, so no webhook is sent twice.
public final class AlertRunner: Sendable {
    private let thread: RepeatingThread
    private let role: ActiveRole?

    public init(engine: AlertEngine, deliverer: WebhookDeliverer, premiumEnd: AlertEngine.PremiumEnd?, interval: Double = 1,
                premiumEvery: Double = 3_600, role: ActiveRole? = nil, logger: Logger) {
        let schedule = PremiumSchedule(every: premiumEvery)
        self.role = role
        thread = RepeatingThread(name: "alerts", interval: interval) {
            let now = Date()
            // On Swift's pool, not this thread's executor: the deliveries' child tasks (each
            // resolving a webhook's name, which blocks) run side by side there.
            let done = DispatchSemaphore(value: 0)
            Task.detached {
                defer { done.signal() }
                if let role, !(await role.isActive()) { return }
                let checkPremium = premiumEnd != nil && schedule.due(now)
                do { try await engine.evaluate(now: now) } catch { logger.warning("alerts: \(error)") }
                if checkPremium, let premiumEnd {
                    do { try await engine.checkPremium(now: now, premiumEnd: premiumEnd) } catch { logger.warning("alerts: premium: \(error)") }
                }
                do { try await deliverer.deliverDue(now: now) } catch { logger.warning("alerts: deliveries: \(error)") }
            }
            done.wait()
        }
    }

    /// Ends the thread after the pass in hand and waits until it has ended; gives the role up
    /// (another sonic-sync's runner takes over).
    public func stop() {
        thread.stop()
        role?.stop()
    }
}

/// When premium end dates were last checked; used by the runner's one thread only.
private final class PremiumSchedule: @unchecked Sendable {
    private let every: Double
    private var last = Date.distantPast

    init(every: Double) { self.every = every }

    /// True once every `every` seconds (the first time at once), and notes `now` as the last check.
    func due(_ now: Date) -> Bool {
        guard now.timeIntervalSince(last) >= every else { return false }
        last = now
        return true
    }
}
