/// What a ``Watcher`` reports.
///
/// A cache applies them in order: on ``relisted(_:)`` it replaces its whole contents, on
/// ``initialListComplete`` (which follows every relist) it knows it is in sync with the server,
/// then it applies the single-object events.
public enum WatcherEvent: Sendable, Hashable {
    /// The complete current set of objects, from a (re)list. Objects absent here no longer exist.
    case relisted([KubeObject])
    /// The contents from the preceding ``relisted(_:)`` are complete; the cache is synced.
    case initialListComplete
    /// An object appeared after the last list.
    case added(KubeObject)
    /// An object changed; the new state.
    case modified(KubeObject)
    /// An object was deleted; its last known state.
    case deleted(KubeObject)
}
