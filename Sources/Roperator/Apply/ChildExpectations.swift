import RoperatorClient

/// Writes an ``Applier`` issued that its cache has not shown yet (read-your-writes).
///
/// Without them, a sync that runs before the watch delivered the last sync's writes would create
/// the same child again (409 AlreadyExists), delete it again, or replace it from a stale
/// resourceVersion (409 Conflict). With them the plan skips those children until the cache
/// caught up, until the cache was listed again (a list is what the server has now, even one
/// restored from an older backup that lost the write), or until ``lifetime`` passed (an event
/// that never comes does not block forever).
///
/// A value type with no I/O: ``settle(now:observed:)`` is given the cache lookup, so tests drive it.
package struct ChildExpectations: Sendable {
    /// What the cache should show once it caught up.
    enum Pending: Sendable, Hashable {
        /// Created: the cache should have an object with this name.
        case creation
        /// Deleted: the cache should no longer have the object with this UID.
        case deletion(uid: String)
        /// Replaced or applied over this resourceVersion: the cache should show another one.
        case update(from: String)
    }

    /// No pending writes.
    package init() {}

    /// How long an expectation waits for the cache at most.
    static let lifetime: Duration = .seconds(30)

    private var pending: [ObjectIdentity: (what: Pending, deadline: SchedulingClock.Instant, cache: CacheGeneration)] = [:]

    /// Whether nothing is pending.
    var isEmpty: Bool { pending.isEmpty }

    /// How many writes are pending.
    var count: Int { pending.count }

    /// The expectation for `identity`, if any.
    subscript(identity: ObjectIdentity) -> Pending? { pending[identity]?.what }

    /// Expects the cache to show `what` for `identity`, for at most ``lifetime`` from `now`.
    /// `cache` is the cache's ``ObjectStore/generation`` from before the write.
    mutating func expect(
        _ what: Pending, for identity: ObjectIdentity, now: SchedulingClock.Instant, cache: CacheGeneration = CacheGeneration()
    ) {
        pending[identity] = (what, now.advanced(by: Self.lifetime), cache)
    }

    /// Drops the expectations the cache (`observed`, by identity) satisfies, those past their
    /// deadline, and those whose cache was listed again since the write (`cache` shows more
    /// lists): what a list shows is what the server has, so waiting on it longer could only
    /// stall. A creation also counts as shown once the cache removed any object since: the child
    /// may have come and gone, and waiting for it would stall; at worst the create is repeated
    /// and answered with AlreadyExists.
    mutating func settle(
        now: SchedulingClock.Instant, observed: (ObjectIdentity) -> (any ObservedVersion)?,
        cache: (ObjectIdentity) -> CacheGeneration = { _ in CacheGeneration() }
    ) {
        guard !pending.isEmpty else { return }
        pending = pending.filter { identity, entry in
            guard entry.deadline > now else { return false }
            let current = cache(identity)
            guard current.lists == entry.cache.lists else { return false }
            let object = observed(identity)
            switch entry.what {
            case .creation: return object == nil && current.removals == entry.cache.removals
            case .deletion(let uid): return object?.uid == uid
            case .update(let version): return object?.resourceVersion == version
            }
        }
    }

    /// How long until the earliest deadline, `nil` when nothing is pending.
    func timeToNextDeadline(now: SchedulingClock.Instant) -> Duration? {
        pending.values.map { now.duration(to: $0.deadline) }.min().map { max($0, .zero) }
    }

    /// Forgets everything (the parent under this key is a new object).
    mutating func removeAll() {
        pending.removeAll()
    }
}

/// How far a cache has come, as expectations compare it: objects removed and complete lists
/// applied so far (``ObjectStore/generation``).
struct CacheGeneration: Sendable, Equatable {
    var removals: UInt64 = 0
    var lists: UInt64 = 0
}

/// What expectations read of an observed child: which object it is and which version.
protocol ObservedVersion {
    var uid: String? { get }
    var resourceVersion: String? { get }
}

extension KubeObject: ObservedVersion {}
extension CachedObject: ObservedVersion {}
