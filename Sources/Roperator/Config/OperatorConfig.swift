public import RoperatorClient
public import Tracing

/// Everything the runtime needs to know about one operator: its parent type, the child types it
/// may create, and how it schedules, retries and coordinates work.
///
/// A value type with a fluent builder; every setting has a documented default, so the minimal
/// configuration is a name and a parent type.
///
/// ```swift
/// let config = OperatorConfig(name: "echo-operator", parent: echoServerType)
///     .withChild(.deployment, .replace)
///     .withChild(.service, .replace)
///     .namespace("apps")
///     .concurrency(32)
///     .resyncPeriod(.seconds(600))
/// ```
public struct OperatorConfig: Sendable {
    /// Operator name: the field manager for server-side apply, the source of Events, the value
    /// of the `roperator.io/operator` label on children, and the basis of the default finalizer.
    public var name: String
    /// The parent (custom resource) type.
    public var parent: K8sType
    /// Child types in the order they were added, with their settings.
    public private(set) var children: [(type: K8sType, config: ChildConfig)] = []
    /// Namespace whose parents are watched; `nil` (the default) watches all namespaces.
    public var namespace: String?
    /// Label selector (Kubernetes syntax, e.g. `tier=web,env!=dev`) restricting which parents are
    /// handled; `nil` (the default) handles all.
    public var parentSelector: String?
    /// Most syncs running at once across all parents. Default 16.
    public var concurrency: Int = 16
    /// Retry delays after a failed sync. Default ``Backoff/default``.
    public var backoff: Backoff = .default
    /// Period after which every parent is synced again even without events; `nil` (the default)
    /// means only events and `resyncAfter` trigger syncs.
    public var resyncPeriod: Duration?
    /// Longest a handler call (`sync` or `finalize`) may take; past it the handler is cancelled,
    /// the sync fails with ``SyncTimeoutError`` (retried with backoff) and none of its children
    /// are written. `nil` (the default) means no limit.
    public var syncTimeout: Duration?
    /// Finalizer added to parents before their first sync. Default
    /// `<sanitized-name>.roperator.io/finalizer` (see ``defaultFinalizerName(for:)``).
    public var finalizerName: String
    /// Port of the HTTP server for `/metrics`, `/healthz` and `/readyz`; `nil` (the default)
    /// means no server.
    public var metricsPort: Int?
    /// Address the metrics and health server binds to. Default `0.0.0.0` (every interface, so
    /// kubelet probes and Prometheus reach it in a pod); `127.0.0.1` keeps it local.
    public var metricsHost: String = "0.0.0.0"
    /// Leader election; `nil` (the default) means every replica is active.
    public var leaderElection: LeaderElectionConfig?
    /// Sharding of the parents across the replicas; `nil` (the default) means none. See
    /// ``sharding(_:)``.
    public var sharding: ShardingConfig?
    /// Receives the reconcile spans; `nil` (the default) uses the active tracer (scoped with
    /// `withTracer` or bootstrapped with `InstrumentationSystem.bootstrap`), and none at all when
    /// there is none. See ``tracer(_:)``.
    public var tracer: (any Tracer)?

    /// - Parameters:
    ///   - name: Operator name; see ``name``.
    ///   - parent: The parent type.
    public init(name: String, parent: K8sType) {
        self.name = name
        self.parent = parent
        self.finalizerName = Self.defaultFinalizerName(for: name)
    }

    /// The configuration for `type`, or `nil` when it is not a configured child type.
    public func childConfig(for type: K8sType) -> ChildConfig? {
        children.first(where: { $0.type == type })?.config
    }

    /// The configured child type with this `apiVersion` and `kind`, if any.
    public func childType(apiVersion: String, kind: String) -> K8sType? {
        children.first(where: { $0.type.apiVersion == apiVersion && $0.type.kind == kind })?.type
    }

    /// The finalizer used when none is set: the operator name turned into a DNS label
    /// (lower-cased, runs of other characters replaced by `-`, at most 63 characters; `operator`
    /// when nothing is left), followed by `.roperator.io/finalizer`. Always a valid qualified name.
    public static func defaultFinalizerName(for operatorName: String) -> String {
        "\(dnsLabel(from: operatorName)).roperator.io/finalizer"
    }

    static func dnsLabel(from text: String) -> String {
        var label = ""
        var lastWasDash = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCIILowerAlphanumeric {
                label.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash && !label.isEmpty {
                label.append("-")
                lastWasDash = true
            }
        }
        label = String(label.prefix(63))
        while label.hasSuffix("-") { label.removeLast() }
        return label.isEmpty ? "operator" : label
    }
}

// MARK: - Builder

extension OperatorConfig {
    /// Adds a child type (or replaces the settings of one already added).
    ///
    /// Every type a handler may return must be added here: the runtime watches it and refuses
    /// undeclared types in a ``SyncResponse``.
    public func withChild(_ type: K8sType, _ config: ChildConfig = .replace) -> OperatorConfig {
        var copy = self
        if let index = copy.children.firstIndex(where: { $0.type == type }) {
            copy.children[index].config = config
        } else {
            copy.children.append((type, config))
        }
        return copy
    }

    /// Restricts the operator to parents in `namespace`; `nil` means all namespaces.
    public func namespace(_ namespace: String?) -> OperatorConfig {
        var copy = self
        copy.namespace = namespace
        return copy
    }

    /// Restricts the operator to parents matching a label selector such as `app=web,tier!=db`.
    public func parentSelector(_ selector: String?) -> OperatorConfig {
        var copy = self
        copy.parentSelector = selector
        return copy
    }

    /// Sets the maximum number of syncs running at once (across parents; one parent never has
    /// two). Values below 1 are rejected by ``validate()``.
    public func concurrency(_ limit: Int) -> OperatorConfig {
        var copy = self
        copy.concurrency = limit
        return copy
    }

    /// Sets the retry backoff after failed syncs.
    public func backoff(_ backoff: Backoff) -> OperatorConfig {
        var copy = self
        copy.backoff = backoff
        return copy
    }

    /// Sets the period after which every parent is synced again; `nil` disables periodic resync.
    public func resyncPeriod(_ period: Duration?) -> OperatorConfig {
        var copy = self
        copy.resyncPeriod = period
        return copy
    }

    /// Limits each handler call to `timeout` (see ``syncTimeout``); `nil` removes the limit.
    public func syncTimeout(_ timeout: Duration?) -> OperatorConfig {
        var copy = self
        copy.syncTimeout = timeout
        return copy
    }

    /// Sets the finalizer name; must be a qualified name such as `example.com/cleanup`.
    public func finalizerName(_ name: String) -> OperatorConfig {
        var copy = self
        copy.finalizerName = name
        return copy
    }

    /// Serves `/metrics`, `/healthz` and `/readyz` on `port`; `nil` disables the server.
    public func metricsPort(_ port: Int?) -> OperatorConfig {
        var copy = self
        copy.metricsPort = port
        return copy
    }

    /// Binds the metrics and health server to `host` (default `0.0.0.0`), e.g. `127.0.0.1` to keep
    /// it off the network.
    public func metricsHost(_ host: String) -> OperatorConfig {
        var copy = self
        copy.metricsHost = host
        return copy
    }

    /// Enables (or with `nil` disables) leader election with the given settings.
    public func leaderElection(_ settings: LeaderElectionConfig?) -> OperatorConfig {
        var copy = self
        copy.leaderElection = settings
        return copy
    }

    /// Sets the tracer of this operator's spans (`reconcile <Kind>` and its children).
    ///
    /// A tracer set here is also the active one while a parent is reconciled, so the handler's own
    /// spans and the client's request spans of that reconcile go to it as well. Without one
    /// (`nil`, the default) spans go to the tracer bootstrapped with
    /// `InstrumentationSystem.bootstrap`, and cost nothing when none was.
    ///
    /// ```swift
    /// let config = OperatorConfig(name: "echo", parent: echoType).tracer(myTracer)
    /// ```
    public func tracer(_ tracer: (any Tracer)?) -> OperatorConfig {
        var copy = self
        copy.tracer = tracer
        return copy
    }

    /// Enables leader election on the Lease `leaseName` with the default timing (15 s / 10 s / 2 s).
    public func leaderElection(leaseName: String, namespace: String? = nil) -> OperatorConfig {
        leaderElection(LeaderElectionConfig(leaseName: leaseName, leaseNamespace: namespace))
    }
}

// MARK: - Validation

extension OperatorConfig {
    /// Checks the settings that can be checked without a cluster.
    ///
    /// - Throws: ``OperatorConfigError`` naming the first invalid setting.
    public func validate() throws(OperatorConfigError) {
        if name.isEmpty { throw .invalid(.emptyName, "operator name is empty") }
        if concurrency < 1 { throw .invalid(.concurrency, "concurrency must be at least 1, got \(concurrency)") }
        if let problem = QualifiedName.problem(with: finalizerName) {
            throw .invalid(.finalizerName, "finalizer name '\(finalizerName)' is not a qualified name: \(problem)")
        }
        if backoff.initial < .zero || backoff.max < backoff.initial {
            throw .invalid(.backoff, "backoff needs 0 <= initial <= max, got \(backoff.initial) and \(backoff.max)")
        }
        if let resyncPeriod, resyncPeriod <= .zero {
            throw .invalid(.resyncPeriod, "resync period must be positive, got \(resyncPeriod)")
        }
        if let syncTimeout, syncTimeout <= .zero {
            throw .invalid(.syncTimeout, "sync timeout must be positive, got \(syncTimeout)")
        }
        if metricsHost.isEmpty { throw .invalid(.metricsPort, "metrics host is empty") }
        if let port = metricsPort, !(0...65535).contains(port) {
            throw .invalid(.metricsPort, "metrics port \(port) is out of range")
        }
        if let election = leaderElection {
            guard election.retryPeriod < election.renewDeadline, election.renewDeadline < election.leaseDuration else {
                throw .invalid(.leaderElection, "leader election needs retryPeriod < renewDeadline < leaseDuration")
            }
            if election.leaseName.isEmpty { throw .invalid(.leaderElection, "lease name is empty") }
            // The Lease stores whole seconds; below one second other replicas would see none.
            if election.leaseDuration < .seconds(1) || election.retryPeriod <= .zero {
                throw .invalid(.leaderElection, "leader election needs leaseDuration >= 1 s and a positive retryPeriod")
            }
        }
        if let sharding { try sharding.validate(leaderElection: leaderElection) }
        if children.contains(where: { $0.type == parent }) {
            throw .invalid(.childType, "the parent type \(parent) cannot also be a child type")
        }
    }
}

extension Unicode.Scalar {
    var isASCIILowerAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("0"..."9").contains(self)
    }
}
