/// The throughput figures of one run.
struct Figures: Sendable {
    /// Objects created per second with nobody watching (all client tasks together): the write
    /// path alone.
    var unwatchedCreatesPerSecond = 0.0
    /// Objects created per second while the watchers receive every event.
    var createsPerSecond = 0.0
    /// Objects read one by one per second.
    var getsPerSecond = 0.0
    /// List calls (pages) per second.
    var listCallsPerSecond = 0.0
    /// Objects returned by list calls per second.
    var objectsListedPerSecond = 0.0
    /// Watch events delivered to all watchers per second while the creates ran (from the first
    /// create until the last watcher had every event), so bounded by watchers × creates/s.
    var liveWatchEventsPerSecond = 0.0
    /// Watch events delivered per second when every watcher starts from scratch and receives an
    /// ADDED event for each existing object: delivery alone, without writes to wait for.
    var replayWatchEventsPerSecond = 0.0
    /// Watchers cut off (too slow) before they had every event.
    var watchersCut = 0

    static let metrics: [(name: String, value: @Sendable (Figures) -> Double)] = [
        ("creates/s, nobody watching", \.unwatchedCreatesPerSecond),
        ("creates/s, watched live", \.createsPerSecond),
        ("gets/s", \.getsPerSecond),
        ("list calls/s (pages)", \.listCallsPerSecond),
        ("objects listed/s", \.objectsListedPerSecond),
        ("watch events/s, live (all watchers)", \.liveWatchEventsPerSecond),
        ("watch events/s, initial replay (all watchers)", \.replayWatchEventsPerSecond),
    ]
}

/// The median of a non-empty list (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// `12345.6` as `12,346`.
func formatted(_ value: Double) -> String {
    let digits = String(Int(value.rounded()))
    var out = ""
    for (index, character) in digits.reversed().enumerated() {
        if index > 0 && index % 3 == 0 && character != "-" { out.append(",") }
        out.append(character)
    }
    return String(out.reversed())
}

/// Elapsed seconds of a `ContinuousClock` duration.
func seconds(_ duration: Duration) -> Double {
    let (whole, atto) = duration.components
    return Double(whole) + Double(atto) / 1e18
}
