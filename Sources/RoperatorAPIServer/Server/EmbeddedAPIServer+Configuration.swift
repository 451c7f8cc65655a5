public import RoperatorClient

extension EmbeddedAPIServer {
    /// How to start an ``EmbeddedAPIServer``. Every property has a default: plain HTTP on a free
    /// loopback port, no authentication, the built-in kinds only.
    ///
    /// ```swift
    /// var configuration = EmbeddedAPIServer.Configuration()
    /// configuration.tls = true
    /// configuration.requireAuthentication = true
    /// configuration.tokens = ["s3cret": "alice"]
    /// ```
    ///
    /// With RBAC (``authorization``), requests are also authorized as kube-apiserver authorizes them:
    ///
    /// ```swift
    /// var configuration = EmbeddedAPIServer.Configuration(authorization: .rbac)
    /// configuration.tokens = ["alice-token": "alice"]
    /// configuration.userGroups = ["alice": ["team-a"]]
    /// ```
    public struct Configuration: Sendable {
        /// How requests are authorized once authenticated.
        public enum Authorization: String, Sendable, Hashable, CaseIterable {
            /// Every authenticated request may do everything (the default).
            case alwaysAllow = "AlwaysAllow"
            /// Kubernetes RBAC, as kube-apiserver's `--authorization-mode=RBAC`: members of
            /// `system:masters` may do everything, everyone else what the Roles, ClusterRoles,
            /// RoleBindings and ClusterRoleBindings grant. Turns authentication on.
            case rbac = "RBAC"
        }

        /// Address to listen on. Default `127.0.0.1`.
        public var host: String
        /// Port to listen on; 0 (the default) picks a free one, see ``EmbeddedAPIServer/port``.
        public var port: Int
        /// Serve HTTPS with a freshly generated CA and server certificate. Default `false`.
        public var tls: Bool
        /// Refuse (401) requests without a known bearer token or a client certificate signed by the
        /// generated CA. Default `false`. When on without TLS and without ``tokens``, a random token is
        /// generated so that ``EmbeddedAPIServer/clientConfiguration`` still works.
        public var requireAuthentication: Bool
        /// Accepted bearer tokens and the user each stands for. Default none.
        public var tokens: [String: String]
        /// How requests are authorized. Default ``Authorization/alwaysAllow``. With
        /// ``Authorization/rbac`` the server creates kube-apiserver's default ClusterRoles and
        /// bindings (`cluster-admin` for `system:masters`; discovery, `/openapi`, `/version`,
        /// health and self-subject reviews for `system:authenticated`), and its own credentials
        /// (``EmbeddedAPIServer/token``, the client certificate) are in `system:masters`.
        public var authorization: Authorization
        /// Groups per user name, as the groups column of kube-apiserver's token file. Every user is
        /// also in `system:authenticated`; `system:serviceaccount:<ns>:<name>` users in
        /// `system:serviceaccounts` and `system:serviceaccounts:<ns>`. Default: `roperator-admin`
        /// (the client certificate's and the generated token's user) in `system:masters`.
        public var userGroups: [String: [String]]
        /// CustomResourceDefinitions (JSON objects) created before the server accepts requests.
        public var customResourceDefinitions: [JSONValue]
        /// What `/version` reports, e.g. `v1.32.3`; kubectl's dispatcher chooses its binary by the minor.
        public var kubernetesVersion: String
        /// How often a watch that allowed bookmarks gets a BOOKMARK. Default 1 second.
        public var bookmarkInterval: Duration
        /// How long a watch without `timeoutSeconds` stays open. Default 30 minutes.
        public var defaultWatchTimeout: Duration
        /// Events retained per resource for watch resumption; older resourceVersions get 410. Default 10,000.
        public var eventWindow: Int
        /// Events a watcher may have queued before it is cut off as too slow. Default 10,000.
        public var watchBuffer: Int
        /// Failure rules in force from the start (see ``FaultInjector``).
        public var faultRules: [FaultRule]
        /// Latency added to every answer from the start. Default none.
        public var latency: Duration
        /// A directory where the server keeps its objects across restarts: loaded at start, written
        /// periodically and at shutdown. Default `nil` (memory only).
        public var dataDirectory: String?
        /// How often the state is written to ``dataDirectory``. Default 10 seconds.
        public var snapshotInterval: Duration
        /// How often the store compacts, as kube-apiserver compacts etcd: a `continue` token or a
        /// list at an older `resourceVersion` stays valid for at least one interval (until the
        /// compaction after next), however many events the watch window keeps. Default 5 minutes.
        public var compactionInterval: Duration

        /// - Parameters: see the properties; every one has a default.
        public init(
            host: String = "127.0.0.1",
            port: Int = 0,
            tls: Bool = false,
            requireAuthentication: Bool = false,
            tokens: [String: String] = [:],
            customResourceDefinitions: [JSONValue] = [],
            kubernetesVersion: String = "v1.32.3",
            bookmarkInterval: Duration = .seconds(1),
            defaultWatchTimeout: Duration = .seconds(1800),
            eventWindow: Int = 10_000,
            watchBuffer: Int = 10_000,
            faultRules: [FaultRule] = [],
            latency: Duration = .zero,
            dataDirectory: String? = nil,
            snapshotInterval: Duration = .seconds(10),
            compactionInterval: Duration = .seconds(300),
            authorization: Authorization = .alwaysAllow,
            userGroups: [String: [String]] = [EmbeddedAPIServer.adminUser: ["system:masters"]]
        ) {
            self.authorization = authorization
            self.userGroups = userGroups
            self.compactionInterval = compactionInterval
            self.host = host
            self.port = port
            self.tls = tls
            self.requireAuthentication = requireAuthentication
            self.tokens = tokens
            self.customResourceDefinitions = customResourceDefinitions
            self.kubernetesVersion = kubernetesVersion
            self.bookmarkInterval = bookmarkInterval
            self.defaultWatchTimeout = defaultWatchTimeout
            self.eventWindow = eventWindow
            self.watchBuffer = watchBuffer
            self.faultRules = faultRules
            self.latency = latency
            self.dataDirectory = dataDirectory
            self.snapshotInterval = snapshotInterval
        }
    }
}
