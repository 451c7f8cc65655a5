public import Roperator
public import RoperatorClient

/// Runs an operator against a fresh `EmbeddedAPIServer` over real HTTP, with helpers to drive
/// parents and wait for the operator's effects.
///
/// ```swift
/// let kit = try await TestKit.start(config, handler: EchoHandler())
/// defer { Task { try await kit.stop() } }   // or call stop() at the end of the test
/// try await kit.createParent(["metadata": ["name": "a"], "spec": ["message": "hi"]])
/// let child = try await kit.waitForChild(.configMap, named: "a-echo", matching: ["data": ["message": "hi"]])
/// ```
public final class TestKit: Sendable {
    /// The embedded API server; `nil` when the kit targets a real cluster.
    public let server: EmbeddedAPIServer?
    /// A client of the server, shared with the operator.
    public let client: KubeClient
    /// The running operator.
    public let `operator`: Operator
    /// The namespace parents are created in.
    public let namespace: String
    /// How long waits last unless told otherwise.
    public let defaultTimeout: Duration
    private let recorder: RecordingHandler
    private let runner: Lock<Task<Void, any Error>?>
    /// Whether ``stop()`` deletes ``namespace`` (a throw-away namespace on a real cluster).
    private let ownsNamespace: Bool

    private init(
        server: EmbeddedAPIServer?, client: KubeClient, operator: Operator, recorder: RecordingHandler,
        namespace: String, ownsNamespace: Bool, defaultTimeout: Duration
    ) {
        self.server = server
        self.ownsNamespace = ownsNamespace
        self.client = client
        self.operator = `operator`
        self.recorder = recorder
        self.namespace = namespace
        self.defaultTimeout = defaultTimeout
        self.runner = Lock(nil)
    }

    /// Starts a server with the parent's CRD, then the operator, and returns once its caches synced.
    ///
    /// - Parameters:
    ///   - config: The operator configuration.
    ///   - handler: The handler under test; the kit records its calls.
    ///   - crd: The parent's CRD; default ``CustomResourceDefinitions/definition(for:)`` (derived from
    ///     the Swift type when the configuration was built from a ``CustomResource``).
    ///     Pass extra CRDs (for custom child types) in `serverConfiguration`.
    ///   - serverConfiguration: How to start the server.
    ///   - defaultTimeout: How long waits last. Default 10 seconds.
    /// - Throws: when the server or the operator cannot start.
    public static func start(
        _ config: OperatorConfig, handler: some Handler, crd: JSONValue? = nil,
        serverConfiguration: EmbeddedAPIServer.Configuration = EmbeddedAPIServer.Configuration(),
        defaultTimeout: Duration = .seconds(10)
    ) async throws -> TestKit {
        var serverConfiguration = serverConfiguration
        if !config.parent.group.isEmpty && !K8sType.builtIn.contains(config.parent) {
            serverConfiguration.customResourceDefinitions.append(try crd ?? CustomResourceDefinitions.definition(for: config.parent))
        }
        // Custom child kinds described in Swift (`withChild(MyKind.self)`) are installed too.
        for (type, _) in config.children {
            if let childCRD = try CustomResourceRegistry.definition(for: type) {
                serverConfiguration.customResourceDefinitions.append(childCRD)
            }
        }
        let server = try await EmbeddedAPIServer.start(serverConfiguration)
        do {
            let client = try KubeClient(configuration: server.clientConfiguration, options: options(for: config))
            return try await launch(
                config, handler: handler, client: client, server: server, ownsNamespace: false,
                defaultTimeout: defaultTimeout)
        } catch {
            try? await server.shutdown()
            throw error
        }
    }

    /// Runs the operator against a real cluster in a fresh throw-away namespace, which ``stop()``
    /// deletes. The parent's CRD is created unless it exists (it is left in place afterwards).
    ///
    /// ```swift
    /// let cluster = try Kubeconfig.load().clientConfiguration()
    /// let kit = try await TestKit.start(config, handler: EchoHandler(), cluster: cluster)
    /// ```
    ///
    /// - Parameters:
    ///   - config: The operator configuration; its namespace is replaced by the throw-away one.
    ///   - handler: The handler under test.
    ///   - cluster: Where the cluster is and who to be.
    ///   - crd: The parent's CRD; default ``CustomResourceDefinitions/definition(for:)`` (derived from
    ///     the Swift type when the configuration was built from a ``CustomResource``).
    ///   - defaultTimeout: How long waits last. Default 30 seconds.
    /// - Throws: when the namespace or CRD cannot be created or the operator cannot start.
    public static func start(
        _ config: OperatorConfig, handler: some Handler, cluster: ClientConfiguration, crd: JSONValue? = nil,
        defaultTimeout: Duration = .seconds(30)
    ) async throws -> TestKit {
        let namespace = "roperator-test-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        let config = config.namespace(config.parent.namespaced ? namespace : config.namespace)
        let client = try KubeClient(configuration: cluster, options: options(for: config))
        do {
            if !config.parent.group.isEmpty && !K8sType.builtIn.contains(config.parent) {
                do {
                    _ = try await client.create(
                        .customResourceDefinition, KubeObject(try crd ?? CustomResourceDefinitions.definition(for: config.parent)))
                } catch let error as KubeAPIError where error.isAlreadyExists {
                    // Left by an earlier run; reuse it.
                }
            }
            _ = try await client.create(
                .namespace, KubeObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]))
            return try await launch(
                config, handler: handler, client: client, server: nil, ownsNamespace: true, defaultTimeout: defaultTimeout,
                namespace: namespace)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func options(for config: OperatorConfig) -> KubeClient.Options {
        var options = KubeClient.Options()
        options.fieldManager = config.name
        return options
    }

    private static func launch(
        _ config: OperatorConfig, handler: some Handler, client: KubeClient, server: EmbeddedAPIServer?,
        ownsNamespace: Bool, defaultTimeout: Duration, namespace: String? = nil
    ) async throws -> TestKit {
        let recorder = RecordingHandler(handler)
        let member = try Operator(config: config, handler: recorder, client: client)
        let kit = TestKit(
            server: server, client: client, operator: member, recorder: recorder,
            namespace: namespace ?? config.namespace ?? "default", ownsNamespace: ownsNamespace,
            defaultTimeout: defaultTimeout)
        kit.runner.withLock { $0 = Task { try await member.run() } }
        do {
            // The CRD may take a moment to be served on a real cluster; the operator's watcher retries.
            try await kit.waitUntil("the operator's caches synced") { member.isReady }
        } catch {
            try? await kit.stop()
            throw error
        }
        return kit
    }

    /// Stops the operator (waiting until its run ended), the client and the server.
    ///
    /// - Throws: the operator's run error, if it failed other than by cancellation.
    public func stop() async throws {
        let task = runner.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        let result = await task?.result
        if ownsNamespace {
            do {
                try await client.delete(.namespace, name: namespace)
            } catch let error as KubeAPIError where error.isNotFound {
                // Already gone.
            }
        }
        try await client.shutdown()
        try await server?.shutdown()
        if case .failure(let error)? = result, !(error is CancellationError) { throw error }
    }

    /// Whether the operator's run has ended (after ``stop()`` it has).
    public var isStopped: Bool { runner.withLock { $0 == nil } }

    // MARK: - Parents

    private var parentType: K8sType { `operator`.config.parent }

    private func key(_ name: String) -> ParentKey {
        ParentKey(namespace: parentType.namespaced ? namespace : nil, name: name)
    }

    /// Creates a parent; `apiVersion`, `kind` and (for namespaced types) the namespace are filled in.
    ///
    /// - Parameter object: At least `metadata.name`.
    /// - Returns: The stored parent.
    @discardableResult
    public func createParent(_ object: JSONValue) async throws -> KubeObject {
        var parent = KubeObject(object)
        parent.apiVersion = parentType.apiVersion
        parent.kind = parentType.kind
        if parentType.namespaced && parent.namespace == nil { parent.namespace = namespace }
        return try await client.create(parentType, parent)
    }

    /// Replaces a parent's `spec` (a merge patch setting `spec`), which bumps its generation.
    @discardableResult
    public func updateParent(named name: String, spec: JSONValue) async throws -> KubeObject {
        let current = try await self.parent(named: name)
        let patch = JSONValue.mergePatch(from: current.spec ?? .object([:]), to: spec) ?? .object([:])
        return try await client.patch(parentType, namespace: key(name).namespace, name: name, patch: ["spec": patch], as: .merge)
    }

    /// Applies a merge patch to a parent.
    @discardableResult
    public func patchParent(named name: String, _ patch: JSONValue) async throws -> KubeObject {
        try await client.patch(parentType, namespace: key(name).namespace, name: name, patch: patch, as: .merge)
    }

    /// Deletes a parent (it lingers while the operator's finalizer is on it).
    public func deleteParent(named name: String) async throws {
        try await client.delete(parentType, namespace: key(name).namespace, name: name)
    }

    /// Reads a parent from the server.
    public func parent(named name: String) async throws -> KubeObject {
        try await client.get(parentType, namespace: key(name).namespace, name: name)
    }

    // MARK: - Waiting

    /// Polls `condition` until it holds.
    ///
    /// - Throws: ``TestKitError`` when `timeout` (default ``defaultTimeout``) passes first.
    public func waitUntil(
        _ what: String, timeout: Duration? = nil, _ condition: @Sendable () async throws -> Bool
    ) async throws {
        try await wait(for: what, timeout: timeout) { try await condition() ? true : nil }
    }

    /// Polls `probe` until it returns a value.
    ///
    /// - Returns: The first value `probe` returned.
    /// - Throws: ``TestKitError`` when `timeout` (default ``defaultTimeout``) passes first.
    @discardableResult
    public func wait<T: Sendable>(
        for what: String, timeout: Duration? = nil, _ probe: @Sendable () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + TimeoutScale.scaled(timeout ?? defaultTimeout)
        var lastError: (any Error)?
        while true {
            do {
                if let value = try await probe() { return value }
                lastError = nil
            } catch let error as CancellationError {
                throw error
            } catch {
                lastError = error
            }
            if ContinuousClock.now >= deadline {
                throw TestKitError("timed out waiting until \(what)\(lastError.map { " (last error: \($0))" } ?? "")")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until the child exists and (if given) contains `subset`.
    ///
    /// - Returns: The child as stored.
    @discardableResult
    public func waitForChild(
        _ type: K8sType, named name: String, namespace: String? = nil, matching subset: JSONValue? = nil,
        timeout: Duration? = nil
    ) async throws -> KubeObject {
        let namespace = type.namespaced ? (namespace ?? self.namespace) : nil
        return try await wait(
            for: "\(type.kind) \(name) exists\(subset.map { " matching \($0.serialized())" } ?? "")", timeout: timeout
        ) {
            guard let child = try await self.object(type, named: name, namespace: namespace) else { return nil }
            return subset.map({ $0.isSubset(of: child.json) }) ?? true ? child : nil
        }
    }

    /// Waits until the child is gone.
    public func waitForChildGone(
        _ type: K8sType, named name: String, namespace: String? = nil, timeout: Duration? = nil
    ) async throws {
        let namespace = type.namespaced ? (namespace ?? self.namespace) : nil
        try await waitUntil("\(type.kind) \(name) is gone", timeout: timeout) {
            try await self.object(type, named: name, namespace: namespace) == nil
        }
    }

    /// Waits until the parent's `status` contains `subset`.
    ///
    /// - Returns: The parent as stored.
    @discardableResult
    public func waitForParentStatus(
        named name: String, matching subset: JSONValue, timeout: Duration? = nil
    ) async throws -> KubeObject {
        try await wait(for: "status of \(name) matches \(subset.serialized())", timeout: timeout) {
            let parent = try await self.parent(named: name)
            return subset.isSubset(of: parent.status ?? .object([:])) ? parent : nil
        }
    }

    /// Waits until the parent is gone from the server.
    public func waitForParentGone(named name: String, timeout: Duration? = nil) async throws {
        try await waitUntil("parent \(name) is gone", timeout: timeout) {
            try await self.object(self.parentType, named: name, namespace: self.key(name).namespace) == nil
        }
    }

    /// Reads an object, `nil` when absent.
    public func object(_ type: K8sType, named name: String, namespace: String? = nil) async throws -> KubeObject? {
        do {
            return try await client.get(type, namespace: type.namespaced ? (namespace ?? self.namespace) : nil, name: name)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }

    /// The Events recorded on a parent, oldest first.
    public func events(forParent name: String) async throws -> [KubeObject] {
        let events = try await client.list(.event, namespace: key(name).namespace ?? "default")
        return events.items.filter {
            $0.json[path: "involvedObject", "name"]?.stringValue == name
                && $0.json[path: "involvedObject", "kind"]?.stringValue == parentType.kind
        }
    }

    // MARK: - Recorded syncs

    /// What the handler saw and answered for a parent.
    public func record(forParent name: String) -> SyncRecord {
        recorder.record(for: key(name))
    }

    /// The last request the handler got for a parent.
    public func lastRequest(forParent name: String) -> SyncRequest? { record(forParent: name).lastRequest }

    /// The last response `sync` returned for a parent.
    public func lastResponse(forParent name: String) -> SyncResponse? { record(forParent: name).lastResponse }

    /// How often `sync` ran for a parent.
    public func syncCount(forParent name: String) -> Int { record(forParent: name).syncs }

    /// How often `sync` or `finalize` threw for a parent.
    public func errorCount(forParent name: String) -> Int { record(forParent: name).errors }
}
