public import Foundation
public import Roperator

/// The TempNamespace logic.
///
/// Before the deadline it returns the Namespace and asks to be synced again when the deadline
/// comes (`resyncAfter`); after it, it returns no children, so the runtime deletes the Namespace.
/// On deletion of the TempNamespace, ``finalize(_:)`` records the fact in the status and lets the
/// deletion go on; the garbage collector removes the Namespace through its owner reference.
public struct TempNamespaceHandler: Handler {
    /// The clock; tests can pin it.
    public let now: @Sendable () -> Date

    /// - Parameter now: The clock; the system clock by default.
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Desired Namespace (or none once expired), status, and a resync at the deadline.
    ///
    /// - Throws: ``CodingFailure`` when the spec does not decode, ``DeleteAfterError`` when
    ///   `deleteAfter` does not parse (the runtime then keeps the Namespace as it is and records
    ///   a Warning Event).
    public func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let (namespace, deadline) = try Self.plan(request)
        let remaining = deadline.timeIntervalSince(now())
        let expiresAt = Self.format(deadline)
        if remaining > 0 {
            let status = TempNamespaceStatus(
                phase: .active, namespace: namespace, expiresAt: expiresAt,
                message: "namespace \(namespace) exists until \(expiresAt)")
            var response = try SyncResponse(status: status, resyncAfter: .seconds(remaining))
            response.add(
                [
                    "apiVersion": "v1", "kind": "Namespace",
                    "metadata": [
                        "name": .string(namespace),
                        "annotations": ["example.roperator.io/expires-at": .string(expiresAt)],
                    ],
                ] as JSONValue)
            return response
        }
        let stillThere = request.child(of: .namespace, named: namespace) != nil
        let status = TempNamespaceStatus(
            phase: .expired, namespace: namespace, expiresAt: expiresAt,
            message: stillThere
                ? "deleteAfter passed at \(expiresAt); deleting namespace \(namespace)"
                : "deleteAfter passed at \(expiresAt); namespace \(namespace) deleted")
        return try SyncResponse(status: status)
    }

    /// Marks the TempNamespace as deleting; the Namespace goes with it (owner reference).
    public func finalize(_ request: SyncRequest) async throws -> FinalizeResponse {
        let (namespace, deadline) = try Self.plan(request)
        let status = TempNamespaceStatus(
            phase: .deleting, namespace: namespace, expiresAt: Self.format(deadline),
            message: "TempNamespace deleted; namespace \(namespace) is removed with it")
        return .done(status: try JSONValue(encoding: status))
    }

    /// The namespace's name and the deadline of the request's parent.
    static func plan(_ request: SyncRequest) throws -> (namespace: String, deadline: Date) {
        let spec = try request.spec(as: TempNamespaceSpec.self)
        let created = request.parent.creationTimestamp.flatMap(DeleteAfter.parseTime) ?? Date()
        let deadline = try DeleteAfter(spec.deleteAfter).deadline(createdAt: created)
        return (spec.namespaceName ?? request.parent.name ?? "", deadline)
    }

    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
