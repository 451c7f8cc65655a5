/// The API verbs, as the Kubernetes authorizer names them; what fault rules and latency target.
public enum APIVerb: String, Sendable, Hashable, CaseIterable {
    case get
    case list
    case watch
    case create
    case update
    case patch
    case delete
    case deletecollection
}
