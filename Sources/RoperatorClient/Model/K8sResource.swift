/// A Swift type for one Kubernetes resource: it knows its group, version, kind, plural and scope,
/// and encodes to and decodes from the object's JSON form.
///
/// Every kind in the `RoperatorModels` products conforms (`Deployment`, `Pod`, `Service`, ...),
/// and so can your own custom resource types. The runtime accepts a conforming type wherever it
/// takes a ``K8sType``:
///
/// ```swift
/// let config = OperatorConfig(name: "web", parent: WebApp.self).withChild(Deployment.self, .replace)
/// let deployments: [Deployment] = try request.children(of: Deployment.self)
/// try response.add(deployment)
/// ```
public protocol K8sResource: Codable, Sendable {
    /// API group; empty for the core group.
    static var group: String { get }
    /// API version within the group, e.g. `v1`.
    static var version: String { get }
    /// Kind, e.g. `Deployment`.
    static var kind: String { get }
    /// Lower-case plural used in URLs, e.g. `deployments`.
    static var plural: String { get }
    /// Whether objects of this type live in a namespace (`false` for cluster-scoped kinds).
    static var namespaced: Bool { get }
}

extension K8sResource {
    /// `group/version`, or `version` for the core group.
    public static var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The resource type, for the APIs that take a ``K8sType``.
    public static var type: K8sType {
        K8sType(group: group, version: version, kind: kind, plural: plural, namespaced: namespaced)
    }
}
