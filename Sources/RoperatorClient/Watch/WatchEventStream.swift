import AsyncHTTPClient
import NIOCore

/// The events of one watch request, decoded as they arrive.
///
/// Ends when the server closes the stream (its `timeoutSeconds` passed); throws ``KubeAPIError`` for
/// an `ERROR` event (``KubeAPIError/isGone`` when the resourceVersion is too old: relist),
/// ``KubeClientError`` when the connection fails or a line is malformed or too long.
/// Iterate it once. Cancelling the iterating task closes the connection.
public struct WatchEventStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent

    let body: HTTPClientResponse.Body
    let type: K8sType
    let maxLineLength: Int

    init(body: HTTPClientResponse.Body, type: K8sType, maxLineLength: Int) {
        self.body = body
        self.type = type
        self.maxLineLength = maxLineLength
    }

    /// The iterator; call once per stream.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: body.makeAsyncIterator(), framer: LineFramer(maxLineLength: maxLineLength), type: type)
    }

    /// Reads chunks, frames lines, decodes events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: HTTPClientResponse.Body.AsyncIterator
        var framer: LineFramer
        let type: K8sType
        var finished = false

        /// The next event, or `nil` when the server ended the watch.
        public mutating func next() async throws -> WatchEvent? {
            while !finished {
                if let line = try framer.nextLine() {
                    return try Self.decode(line, type: type)
                }
                let chunk: ByteBufferView?
                do {
                    chunk = try await chunks.next()?.readableBytesView
                } catch {
                    finished = true
                    if Task.isCancelled { throw CancellationError() }
                    throw KubeClientError(.transport, "watch of \(type) failed", underlying: error)
                }
                guard let chunk else {
                    finished = true
                    // A final event without a newline is still a whole event; a cut-off one is an error.
                    let rest = framer.remainder
                    if rest.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) {
                        return try Self.decode(rest, type: type)
                    }
                    return nil
                }
                framer.append(chunk)
            }
            return nil
        }

        static func decode(_ line: ArraySlice<UInt8>, type: K8sType) throws -> WatchEvent {
            let json: JSONValue
            do {
                json = try JSONValue(parsing: line)
            } catch {
                throw KubeClientError(.invalidResponse, "watch of \(type) sent an event that is not JSON", underlying: error)
            }
            guard let kind = json["type"]?.stringValue, let object = json["object"] else {
                throw KubeClientError(.invalidResponse, "watch of \(type) sent an event without type or object")
            }
            switch kind {
            case "ADDED", "MODIFIED", "DELETED":
                let object = try KubeClient.completing(object, as: type, from: "the object of a \(kind) event of the watch of \(type)")
                return kind == "ADDED" ? .added(object) : kind == "MODIFIED" ? .modified(object) : .deleted(object)
            case "BOOKMARK":
                return .bookmark(resourceVersion: object[path: "metadata", "resourceVersion"]?.stringValue ?? "")
            case "ERROR":
                throw KubeAPIError(status: object)
                    ?? KubeAPIError(code: 500, reason: .unknown, message: "watch ERROR event: \(object.serialized())")
            default:
                throw KubeClientError(.invalidResponse, "watch of \(type) sent unknown event type \(kind)")
            }
        }
    }
}
