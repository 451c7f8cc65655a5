/// The events of one watch request, decoded as they arrive.
///
/// Ends when the server closes the stream (its `timeoutSeconds` passed); throws ``KubeAPIError`` for
/// an `ERROR` event (``KubeAPIError/isGone`` when the resourceVersion is too old: relist),
/// ``KubeClientError`` when the connection fails or a line is malformed or too long.
/// Iterate it once. Cancelling the iterating task closes the connection.
public struct WatchEventStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent

    let body: HTTPBodyStream
    let type: K8sType
    let maxLineLength: Int

    init(body: HTTPBodyStream, type: K8sType, maxLineLength: Int) {
        self.body = body
        self.type = type
        self.maxLineLength = maxLineLength
    }

    /// A reader that hands out the objects in the form `Object`; call once per stream, instead of
    /// iterating.
    package func reader<Object: WatchedObject>(of: Object.Type) -> WatchEventReader<Object> {
        WatchEventReader(body: body, type: type, maxLineLength: maxLineLength)
    }

    /// The iterator; call once per stream.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(reader: reader(of: KubeObject.self))
    }

    /// Reads chunks, frames lines, decodes events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var reader: WatchEventReader<KubeObject>

        /// The next event, or `nil` when the server ended the watch.
        public mutating func next() async throws -> WatchEvent? {
            try await reader.next().map(WatchEvent.init)
        }
    }
}
