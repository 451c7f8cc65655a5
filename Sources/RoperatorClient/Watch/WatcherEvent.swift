/// What a ``Watcher`` reports.
///
/// A cache applies them in order: on ``relisted(_:)`` it replaces its whole contents, on
/// ``initialListComplete`` (which follows every relist) it knows it is in sync with the server,
/// then it applies the single-object events.
///
/// With ``Watcher/Configuration/listsInPages`` a (re)list comes as ``listedPage(_:first:)``
/// events instead of one ``relisted(_:)``, so that a cache that keeps objects compactly never
/// holds the whole list decoded at once; the ``initialListComplete`` that ends it means "objects
/// not in any page since the first are gone".
public enum WatcherEvent: Sendable, Hashable {
    /// The complete current set of objects, from a (re)list. Objects absent here no longer exist.
    case relisted([KubeObject])
    /// One page of a (re)list, with ``Watcher/Configuration/listsInPages``: these objects exist
    /// now. `first` starts a list (a list that failed part-way starts again with a first page);
    /// the ``initialListComplete`` that follows the last page ends it.
    case listedPage([KubeObject], first: Bool)
    /// The contents from the preceding ``relisted(_:)`` (or pages) are complete; the cache is synced.
    case initialListComplete
    /// An object appeared after the last list.
    case added(KubeObject)
    /// An object changed; the new state.
    case modified(KubeObject)
    /// An object was deleted; its last known state.
    case deleted(KubeObject)
    /// A list or watch failed and the watcher retries (after ``WatchFailure/retryAfter``).
    /// Reported only when ``Watcher/Configuration/reportsFailures`` is on; nothing in the cache
    /// changes.
    case failed(WatchFailure)
}

/// A failure a ``Watcher`` recovers from by itself, reported as a value.
public struct WatchFailure: Sendable, Hashable, CustomStringConvertible {
    /// Why the watcher starts over.
    public enum Reason: String, Sendable, Hashable {
        /// The server no longer has the resourceVersion (410 Gone): the watcher lists again at once.
        case expired
        /// The list or watch failed (connection, server error, forbidden, ...): the watcher
        /// retries after a backoff.
        case error
    }

    /// Why the watcher starts over.
    public var reason: Reason
    /// The HTTP status the server answered with, `nil` when none came (connection failures).
    public var statusCode: Int?
    /// The error's description.
    public var message: String
    /// How long the watcher waits before its next attempt.
    public var retryAfter: Duration

    /// A failure; the watcher makes these, tests may too.
    public init(reason: Reason, statusCode: Int? = nil, message: String, retryAfter: Duration) {
        self.reason = reason
        self.statusCode = statusCode
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String {
        "\(reason.rawValue)\(statusCode.map { " (\($0))" } ?? ""): \(message); retrying in \(retryAfter)"
    }
}

extension WatcherEvent {
    init(_ event: WatchLoop<KubeObject>.Event) {
        switch event {
        case .relisted(let objects): self = .relisted(objects)
        case .listedPage(let objects, let first): self = .listedPage(objects, first: first)
        case .initialListComplete: self = .initialListComplete
        case .added(let object): self = .added(object)
        case .modified(let object): self = .modified(object)
        case .deleted(let object): self = .deleted(object)
        case .failed(let failure): self = .failed(failure)
        }
    }
}
