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
    let queue: WatchQueue
    let store: ObjectStore

    package func makeAsyncIterator() -> Iterator {
        Iterator(queue: queue)
    }

    /// Waits for events and returns every queued one, up to `limit`, oldest first; an empty array
    /// means the stream has ended. Cancelling the waiting task ends the stream.
    package func nextBatch(limit: Int = .max) async -> [StoreEvent] {
        await queue.nextBatch(limit: limit)
    }

    /// Yields the events one by one, taking them from the queue a batch at a time.
    package struct Iterator: AsyncIteratorProtocol {
        let queue: WatchQueue
        var batch: [StoreEvent] = []
        var index = 0

        package mutating func next() async -> StoreEvent? {
            if index == batch.count {
                batch = await queue.nextBatch()
                index = 0
                if batch.isEmpty { return nil }
            }
            defer { index += 1 }
            return batch[index]
        }
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
