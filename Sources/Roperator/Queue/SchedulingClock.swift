/// Any `Clock` measured in `Duration`, erased to offsets from the moment it was wrapped, so the
/// queue, its timers and the per-sync timeout run on a `ContinuousClock` in production and on a
/// manual clock in tests.
struct SchedulingClock: Sendable {
    /// An instant of a ``SchedulingClock``: the time since the clock was wrapped.
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        static func + (lhs: Instant, rhs: Duration) -> Instant { lhs.advanced(by: rhs) }
        static func - (lhs: Instant, rhs: Instant) -> Duration { rhs.duration(to: lhs) }
    }

    private let read: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// Wraps `clock`; its current instant becomes offset zero.
    init<C: Clock<Duration>>(_ clock: C) {
        let origin = clock.now
        read = { origin.duration(to: clock.now) }
        sleeper = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
    }

    /// The real monotonic clock.
    static var continuous: SchedulingClock { SchedulingClock(ContinuousClock()) }

    /// Now.
    var now: Instant { Instant(offset: read()) }

    /// Sleeps until `deadline`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first.
    func sleep(until deadline: Instant) async throws {
        try await sleeper(deadline.offset)
    }

    /// Sleeps for `duration`.
    func sleep(for duration: Duration) async throws {
        try await sleep(until: now.advanced(by: duration))
    }
}
