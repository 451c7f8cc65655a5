/// A Kubernetes resource type: group, version, kind, plural name and scope.
///
/// ```swift
/// let echo = K8sType(group: "example.com", version: "v1", kind: "EchoServer", plural: "echoservers")
/// let pods = K8sType.pod
/// ```
public struct K8sType: Sendable, Hashable, CustomStringConvertible {
    /// API group; empty for the core group (`v1`).
    public var group: String
    /// API version within the group, e.g. `v1`.
    public var version: String
    /// Kind, e.g. `Pod`.
    public var kind: String
    /// Lower-case plural used in URLs, e.g. `pods`.
    public var plural: String
    /// Whether objects of this type live in a namespace.
    public var namespaced: Bool

    /// - Parameters:
    ///   - group: API group, `""` for core.
    ///   - version: API version.
    ///   - kind: Kind.
    ///   - plural: Plural resource name; defaults to the lower-cased kind plus `s`.
    ///   - namespaced: Scope; defaults to `true`.
    public init(group: String, version: String, kind: String, plural: String? = nil, namespaced: Bool = true) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural ?? (kind.lowercased() + "s")
        self.namespaced = namespaced
    }

    /// Creates a type from an `apiVersion` string, as found in objects.
    ///
    /// - Parameters:
    ///   - apiVersion: `group/version`, or `version` alone for the core group.
    ///   - kind: Kind.
    ///   - plural: Plural resource name; defaults to the lower-cased kind plus `s`.
    ///   - namespaced: Scope; defaults to `true`.
    public init(apiVersion: String, kind: String, plural: String? = nil, namespaced: Bool = true) {
        let (group, version) = K8sType.split(apiVersion: apiVersion)
        self.init(group: group, version: version, kind: kind, plural: plural, namespaced: namespaced)
    }

    /// `group/version`, or `version` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// Splits `apps/v1` into `("apps", "v1")` and `v1` into `("", "v1")`.
    public static func split(apiVersion: String) -> (group: String, version: String) {
        if let slash = apiVersion.lastIndex(of: "/") {
            return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
        }
        return ("", apiVersion)
    }

    public var description: String { "\(apiVersion)/\(kind)" }
}

extension K8sType {
    /// `v1` `Namespace`, cluster-scoped.
    public static let namespace = K8sType(group: "", version: "v1", kind: "Namespace", namespaced: false)
    /// `v1` `ConfigMap`.
    public static let configMap = K8sType(group: "", version: "v1", kind: "ConfigMap")
    /// `v1` `Secret`.
    public static let secret = K8sType(group: "", version: "v1", kind: "Secret")
    /// `v1` `Service`.
    public static let service = K8sType(group: "", version: "v1", kind: "Service")
    /// `v1` `Pod`.
    public static let pod = K8sType(group: "", version: "v1", kind: "Pod")
    /// `v1` `ServiceAccount`.
    public static let serviceAccount = K8sType(group: "", version: "v1", kind: "ServiceAccount")
    /// `v1` `PersistentVolumeClaim`.
    public static let persistentVolumeClaim = K8sType(group: "", version: "v1", kind: "PersistentVolumeClaim")
    /// `v1` `Event`.
    public static let event = K8sType(group: "", version: "v1", kind: "Event")
    /// `events.k8s.io/v1` `Event`.
    public static let eventsV1 = K8sType(group: "events.k8s.io", version: "v1", kind: "Event")
    /// `apps/v1` `Deployment`.
    public static let deployment = K8sType(group: "apps", version: "v1", kind: "Deployment")
    /// `apps/v1` `StatefulSet`.
    public static let statefulSet = K8sType(group: "apps", version: "v1", kind: "StatefulSet")
    /// `apps/v1` `DaemonSet`.
    public static let daemonSet = K8sType(group: "apps", version: "v1", kind: "DaemonSet")
    /// `apps/v1` `ReplicaSet`.
    public static let replicaSet = K8sType(group: "apps", version: "v1", kind: "ReplicaSet")
    /// `batch/v1` `Job`.
    public static let job = K8sType(group: "batch", version: "v1", kind: "Job")
    /// `coordination.k8s.io/v1` `Lease`.
    public static let lease = K8sType(group: "coordination.k8s.io", version: "v1", kind: "Lease")
    /// `rbac.authorization.k8s.io/v1` `Role`.
    public static let role = K8sType(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role")
    /// `rbac.authorization.k8s.io/v1` `RoleBinding`.
    public static let roleBinding = K8sType(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding")
    /// `rbac.authorization.k8s.io/v1` `ClusterRole`, cluster-scoped.
    public static let clusterRole = K8sType(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", namespaced: false)
    /// `rbac.authorization.k8s.io/v1` `ClusterRoleBinding`, cluster-scoped.
    public static let clusterRoleBinding = K8sType(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", namespaced: false)
    /// `apiextensions.k8s.io/v1` `CustomResourceDefinition`, cluster-scoped.
    public static let customResourceDefinition = K8sType(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", namespaced: false)

    /// The built-in kinds above, for lookups by kind.
    public static let builtIn: [K8sType] = [
        .namespace, .configMap, .secret, .service, .pod, .serviceAccount, .persistentVolumeClaim, .event, .eventsV1,
        .deployment, .statefulSet, .daemonSet, .replicaSet, .job, .lease, .role, .roleBinding, .clusterRole,
        .clusterRoleBinding, .customResourceDefinition,
    ]
}
