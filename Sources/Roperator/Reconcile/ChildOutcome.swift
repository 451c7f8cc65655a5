/// What applying one sync's desired children came to.
struct ChildOutcome: Sendable {
    /// Desired children that were not applied: invalid, or owned by someone else.
    var refused: [InvalidChildError] = []
    /// API errors other than conflicts.
    var failures: [any Error] = []
    /// Whether a 409 was met that re-reading did not resolve; the parent is synced again soon.
    var conflicted = false
    /// Some writes of earlier syncs are not in the cache yet (expectations); look again after
    /// this delay at the latest, in case the event that would trigger a sync never comes.
    var recheckAfter: Duration?
    /// Whether the Applier still expects writes in the cache (its expectations are not empty).
    var writesPending = false

    mutating func merge(_ other: ChildOutcome) {
        refused += other.refused
        failures += other.failures
        conflicted = conflicted || other.conflicted
        if let wait = other.recheckAfter { recheckAfter = min(recheckAfter ?? wait, wait) }
    }
}
