import NIOCore

/// Reads the events of one watch response: frames lines, reads each event's envelope and decodes
/// its object into the form `Object` (a decoded ``KubeObject`` for ``WatchEventStream``, a
/// cache's compact form for the runtime's informers).
package struct WatchEventReader<Object: WatchedObject> {
    /// One event, with its object in the reader's form.
    package enum Event: Sendable {
        case added(Object)
        case modified(Object)
        case deleted(Object)
        case bookmark(resourceVersion: String)

        /// The resourceVersion this event brings the watch to, when it carries one.
        package var resourceVersion: String? {
            switch self {
            case .added(let object), .modified(let object), .deleted(let object): object.resourceVersion
            case .bookmark(let resourceVersion): resourceVersion
            }
        }
    }

    var chunks: HTTPBodyStream.Producer.AsyncIterator
    var framer: LineFramer
    let type: K8sType
    var finished = false

    init(body: HTTPBodyStream, type: K8sType, maxLineLength: Int) {
        self.chunks = body.makeAsyncIterator()
        self.framer = LineFramer(maxLineLength: maxLineLength)
        self.type = type
    }

    /// The next event, or `nil` when the server ended the watch.
    ///
    /// - Throws: ``KubeAPIError`` for an `ERROR` event, ``KubeClientError`` when the connection
    ///   fails or a line is malformed or too long, `CancellationError` when the task is cancelled.
    package mutating func next() async throws -> Event? {
        while !finished {
            if let line = try framer.nextLine() {
                return try Self.decode(line, type: type)
            }
            let pieces: [ByteBuffer]?
            do {
                pieces = try await chunks.next()
            } catch {
                finished = true
                if Task.isCancelled { throw CancellationError() }
                throw KubeClientError(.transport, "watch of \(type) failed", underlying: error)
            }
            guard let pieces else {
                finished = true
                // A final event without a newline is still a whole event; a cut-off one is an error.
                let rest = framer.remainder
                if rest.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) {
                    return try Self.decode(rest, type: type)
                }
                return nil
            }
            for piece in pieces { framer.append(piece.readableBytesView) }
        }
        return nil
    }

    /// Decodes one event line. The object is decoded once, straight from the line's bytes: in the
    /// layouts servers write, its range is found from the line's ends (``WatchEventEnvelope/guess(_:)``)
    /// and confirmed by decoding it; any other line is read member by member.
    package static func decode(_ line: ArraySlice<UInt8>, type: K8sType) throws -> Event {
        try line.withUnsafeBytes { raw throws -> Event in
            if let guess = WatchEventEnvelope.guess(raw), let kind = guess.type, let range = guess.object,
                let event = objectEvent(kind, UnsafeRawBufferPointer(rebasing: raw[range]), type: type)
            {
                return event
            }
            let envelope: WatchEventEnvelope
            do {
                envelope = try WatchEventEnvelope.read(raw)
            } catch {
                throw KubeClientError(.invalidResponse, "watch of \(type) sent an event that is not JSON", underlying: error)
            }
            guard let kind = envelope.type, let range = envelope.object else {
                throw KubeClientError(.invalidResponse, "watch of \(type) sent an event without type or object")
            }
            let json = UnsafeRawBufferPointer(rebasing: raw[range])
            switch kind {
            case "ADDED", "MODIFIED", "DELETED":
                let object = try Object.decode(
                    watched: json, type: type, source: "the object of a \(kind) event of the watch of \(type)")
                return kind == "ADDED" ? .added(object) : kind == "MODIFIED" ? .modified(object) : .deleted(object)
            case "BOOKMARK":
                // The envelope read checked the object, so it parses.
                let object = try JSONValue(parsing: json)
                return .bookmark(resourceVersion: object[path: "metadata", "resourceVersion"]?.stringValue ?? "")
            case "ERROR":
                let object = try JSONValue(parsing: json)
                throw KubeAPIError(status: object)
                    ?? KubeAPIError(code: 500, reason: .unknown, message: "watch ERROR event: \(object.serialized())")
            default:
                throw KubeClientError(.invalidResponse, "watch of \(type) sent unknown event type \(kind)")
            }
        }
    }

    /// The event of a guessed envelope: `nil` unless it is an object event whose object decodes
    /// (then the line is read member by member, which also names what is wrong).
    private static func objectEvent(_ kind: String, _ json: UnsafeRawBufferPointer, type: K8sType) -> Event? {
        let make: (Object) -> Event
        switch kind {
        case "ADDED": make = Event.added
        case "MODIFIED": make = Event.modified
        case "DELETED": make = Event.deleted
        default: return nil
        }
        guard let object = try? Object.decode(watched: json, type: type, source: "") else { return nil }
        return make(object)
    }
}
