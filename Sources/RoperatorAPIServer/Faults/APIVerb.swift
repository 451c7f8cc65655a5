/// The API verbs, as the Kubernetes authorizer names them; what fault rules and latency target.
public enum APIVerb: String, Sendable, Hashable, CaseIterable {
    /// Read one object.
    case get
    /// Read a collection.
    case list
    /// Stream changes.
    case watch
    /// POST a new object.
    case create
    /// PUT an object or its status.
    case update
    /// PATCH, including server-side apply.
    case patch
    /// Delete one object.
    case delete
    /// Delete every object of a collection that matches.
    case deletecollection
}

extension APIVerb {
    /// The verbs that change state (create, update, patch, delete, deletecollection): for a
    /// ``FaultRule`` that hits writes only.
    public static let writes: Set<APIVerb> = [.create, .update, .patch, .delete, .deletecollection]
}
