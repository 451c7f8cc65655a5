/// The events of one watch, already filtered for the watcher. Ends when the watcher is cut off
/// (too slow), the watch is cancelled, the resource stops being served, or after an ERROR event.
///
/// ```swift
/// let stream = try store.watch(pods, namespace: "default", options: WatchOptions(allowBookmarks: true))
/// for await event in stream { send(event.jsonLine) }
/// ```
package struct WatchStream: AsyncSequence, Sendable {
    package typealias Element = StoreEvent

    /// Identifies the watcher within its resource.
    package let id: Int
    let resource: GroupResource
    let events: AsyncStream<StoreEvent>
    let store: ObjectStore

    package func makeAsyncIterator() -> AsyncStream<StoreEvent>.Iterator {
        events.makeAsyncIterator()
    }

    /// Sends this watcher a BOOKMARK with the current resourceVersion, if it allowed bookmarks.
    package func sendBookmark() {
        store.sendBookmarks(resource: resource, watcherID: id)
    }

    /// Ends the stream (the consumer's loop finishes after the events already queued).
    package func cancel() {
        store.cutWatches(resource: resource, watcherID: id)
    }
}
