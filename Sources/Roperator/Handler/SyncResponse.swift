public import RoperatorClient

/// The result of ``Handler/sync(_:)``: the parent's status and the complete set of desired children.
///
/// Children not listed are deleted, so always return every child you want to keep. Children can
/// be given as `KubeObject`/`JSONValue` or as any `Encodable` that encodes to a full object
/// (`apiVersion`, `kind`, `metadata.name`).
///
/// ```swift
/// var response = SyncResponse(status: ["phase": "Ready"])
/// response.add(KubeObject(type: .configMap, namespace: ns, name: "settings"))
/// try response.add(MyDeployment(...))        // Encodable
/// response.resyncAfter = .seconds(30)
/// ```
public struct SyncResponse: Sendable {
    /// The parent's new status; `nil` leaves the status unchanged.
    public var status: JSONValue?
    /// Every desired child.
    public var children: [KubeObject]
    /// Sync this parent again after this delay even without events; `nil` for no extra sync.
    public var resyncAfter: Duration?

    /// - Parameters:
    ///   - status: New status; `nil` leaves it unchanged.
    ///   - children: Desired children; default none.
    ///   - resyncAfter: Optional extra sync after a delay.
    public init(status: JSONValue? = nil, children: [KubeObject] = [], resyncAfter: Duration? = nil) {
        self.status = status
        self.children = children
        self.resyncAfter = resyncAfter
    }

    // Disfavoured so that a JSONValue (itself Encodable) picks the non-throwing init.
    /// A response whose status is `status` encoded to JSON.
    ///
    /// - Throws: ``CodingFailure`` when `status` does not encode.
    @_disfavoredOverload
    public init<Status: Encodable>(
        status: Status, children: [KubeObject] = [], resyncAfter: Duration? = nil
    ) throws(CodingFailure) {
        self.status = try CodableBridge.encode(status, what: "status")
        self.children = children
        self.resyncAfter = resyncAfter
    }

    /// Adds a desired child.
    public mutating func add(_ child: KubeObject) {
        children.append(child)
    }

    /// Adds a desired child given as raw JSON.
    public mutating func add(_ child: JSONValue) {
        children.append(KubeObject(child))
    }

    /// Adds a desired child given as an `Encodable` value that encodes to a whole object.
    ///
    /// - Throws: ``CodingFailure`` when it does not encode to a JSON object.
    public mutating func add<Child: Encodable>(_ child: Child) throws(CodingFailure) {
        let json = try CodableBridge.encode(child, what: "child \(Child.self)")
        guard json.objectValue != nil else {
            throw CodingFailure(
                operation: .encoding, what: "child \(Child.self)",
                underlying: NotAnObject(description: "encoded to \(json.serialized()), not a JSON object"))
        }
        children.append(KubeObject(json))
    }

    /// Sets the status from an `Encodable` value.
    ///
    /// - Throws: ``CodingFailure`` when it does not encode.
    public mutating func setStatus<Status: Encodable>(_ status: Status) throws(CodingFailure) {
        self.status = try CodableBridge.encode(status, what: "status")
    }
}

/// The reason carried by a ``CodingFailure`` when a child encodes to something other than an object.
struct NotAnObject: Error, CustomStringConvertible {
    let description: String
}
