/// How urgent a scheduled sync is: what someone just did goes ahead of the startup backlog.
///
/// The event triggers add keys as ``event`` when a watch event arrives and as ``background``
/// for the objects of a (re)list; a resync (`requeue(after:)`) is background work. See
/// ``WorkQueue`` for the anti-starvation rule.
public enum SyncPriority: Int, Sendable, Hashable, Comparable {
    /// A change seen on a watch, or an explicit ``WorkQueue/syncNow(_:)``.
    case event = 0
    /// The initial list, a relist, a resync: work that may wait behind events.
    case background = 1

    public static func < (lhs: SyncPriority, rhs: SyncPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}
