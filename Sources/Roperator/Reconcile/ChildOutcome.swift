/// What applying one sync's desired children came to.
struct ChildOutcome: Sendable {
    /// Desired children that were not applied: invalid, or owned by someone else.
    var refused: [InvalidChildError] = []
    /// API errors other than conflicts.
    var failures: [any Error] = []
    /// Whether a 409 was met; the parent is synced again once the cache caught up.
    var conflicted = false

    mutating func merge(_ other: ChildOutcome) {
        refused += other.refused
        failures += other.failures
        conflicted = conflicted || other.conflicted
    }
}
