/// The transactions of one address on one UTC day (`Store.dailyActivity`).
public struct DailyActivity: Sendable, Equatable {
    /// Days since 1970-01-01 (UTC).
    public let day: Int64
    public let received: Int
    public let sent: Int
}
