/// The form in which a watch hands out the objects of its events: ``KubeObject``, decoded, or a
/// cache's own compact form built straight from the event's bytes.
///
/// ``WatchEventReader`` and ``WatchLoop`` are generic over it, so one list-and-watch state machine
/// serves ``Watcher`` (decoded objects) and the runtime's caches (which never decode the objects
/// they only keep).
package protocol WatchedObject: Sendable {
    /// The object of an `ADDED`, `MODIFIED` or `DELETED` event, from the JSON of the event's
    /// `object` member.
    ///
    /// `json` may be a guess at the member's range (``WatchEventEnvelope/guess(_:)``): this must
    /// throw unless `json` is exactly one well-formed JSON value.
    ///
    /// - Parameters:
    ///   - json: The bytes of the `object` member's value.
    ///   - type: The watched type, for objects that come without `apiVersion` and `kind`.
    ///   - source: Where the object came from, for errors.
    /// - Throws: ``KubeClientError`` (``KubeClientError/Code/invalidResponse``) when it is not JSON
    ///   or not an object.
    static func decode(watched json: UnsafeRawBufferPointer, type: K8sType, source: @autoclosure () -> String) throws -> Self

    /// An object of a list page.
    init(listed object: KubeObject)

    /// `metadata.resourceVersion`, which a watch resumes from.
    var resourceVersion: String? { get }
}

extension KubeObject: WatchedObject {
    package static func decode(
        watched json: UnsafeRawBufferPointer, type: K8sType, source: @autoclosure () -> String
    ) throws -> KubeObject {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: json)
        } catch {
            throw KubeClientError(.invalidResponse, "\(source()) is not JSON", underlying: error)
        }
        return try KubeClient.completing(value, as: type, from: source())
    }

    package init(listed object: KubeObject) {
        self = object
    }
}
