/// Query parameters of a watch request, as strings from the URL.
package struct WatchOptions: Sendable, Hashable {
    /// `labelSelector`.
    package var labelSelector: String?
    /// `fieldSelector`.
    package var fieldSelector: String?
    /// `resourceVersion`: `nil`/`""`/`"0"` start with ADDED for every existing object; otherwise replay
    /// the events after it (410 in an ERROR event when it is too old).
    package var resourceVersion: String?
    /// `resourceVersionMatch`.
    package var resourceVersionMatch: String?
    /// `allowWatchBookmarks`: whether BOOKMARK events are sent to this watcher.
    package var allowBookmarks: Bool
    /// `sendInitialEvents`: ADDED for every object, then a BOOKMARK annotated
    /// `k8s.io/initial-events-end: "true"`.
    package var sendInitialEvents: Bool?
    /// `shardSelector` (KEP-5866), as for lists.
    package var shardSelector: String?

    package init(
        labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
        resourceVersionMatch: String? = nil, allowBookmarks: Bool = false, sendInitialEvents: Bool? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.allowBookmarks = allowBookmarks
        self.sendInitialEvents = sendInitialEvents
    }
}
