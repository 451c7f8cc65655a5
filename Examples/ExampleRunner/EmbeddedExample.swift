import Foundation
import Logging
import Roperator
import RoperatorTesting
import ServiceLifecycle

/// `--embedded`: an API server in this process, the example's CRDs registered and samples
/// created, every change printed, until a graceful shutdown (or readiness with `--exit-after-ready`).
struct EmbeddedExample: Service {
    let example: Example
    let options: ExampleOptions
    let logger: Logger

    /// How long the samples may take to get their children and status.
    static let readyTimeout: Duration = .seconds(60)

    func run() async throws {
        let server = try await EmbeddedAPIServer.start()
        let kubeconfig =
            options.kubeconfigPath
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("roperator-\(example.name).kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        Console.say("embedded API server listening on \(server.url) (kubeconfig \(kubeconfig))")
        let client = try KubeClient(configuration: server.clientConfiguration, logger: logger)
        do {
            try await work(client: client, kubeconfig: kubeconfig)
        } catch {
            try? await client.shutdown() // the work's error is the one to report
            try? await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
        Console.say("\(example.name) stopped")
    }

    private func work(client: KubeClient, kubeconfig: String) async throws {
        try await registerCRDs(client: client)
        let operators = OperatorGroup(client: client, logger: logger)
        for (config, handler) in example.operators { try operators.add(config, handler: handler) }
        let observer = ExampleObserver(
            client: client, parentTypes: example.operators.map { $0.config.parent }, childTypes: example.childTypes)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await operators.run() }
            tasks.addTask { await observer.run() }
            tasks.addTask {
                try await deadline(Self.readyTimeout, "the operators' caches to sync") { operators.isReady }
                Console.say("operators running: \(example.operators.map { $0.config.name }.joined(separator: ", "))")
                let samples = try await createSamples(client: client)
                try await waitUntilReady(samples, client: client)
                Console.say("ready: every sample has its children and a status")
                Console.say("try: KUBECONFIG=\(kubeconfig) kubectl get \(example.kubectlResources)")
                if options.exitAfterReady { return }
                Console.say("press Ctrl-C to stop")
                try await gracefulShutdown()
            }
            // The first to finish decides: the operators after SIGINT/SIGTERM, or readiness with
            // --exit-after-ready. Either way everything else stops now.
            _ = try await tasks.next()
            tasks.cancelAll()
            Console.say("shutting down")
        }
    }

    private func registerCRDs(client: KubeClient) async throws {
        let crds = try EmbeddedAPIServer.Configuration.customResourceDefinitions(fromFile: example.crdFile.path)
        for crd in crds {
            _ = try await client.create(.customResourceDefinition, KubeObject(crd))
            Console.say("registered CustomResourceDefinition \(crd[path: "metadata", "name"]?.stringValue ?? "")")
        }
        for (config, _) in example.operators {
            let type = config.parent
            try await deadline(Self.readyTimeout, "\(type.plural) to be served") {
                do {
                    _ = try await client.list(type)
                    return true
                } catch let error as KubeAPIError where error.isNotFound {
                    return false
                }
            }
        }
    }

    /// Creates every document of the sample file; returns their types and names.
    private func createSamples(client: KubeClient) async throws -> [(type: K8sType, object: KubeObject)] {
        let text = try String(contentsOf: example.sampleFile, encoding: .utf8)
        var created: [(type: K8sType, object: KubeObject)] = []
        for document in try JSONValue.documents(yaml: text) where !document.isNull {
            guard let type = example.parentType(of: document) else {
                throw ExampleError(
                    "\(example.sampleFile.path): no operator handles \(document["kind"]?.stringValue ?? "an object without kind")")
            }
            var object = KubeObject(document)
            if type.namespaced && object.namespace == nil { object.namespace = "default" }
            created.append((type, try await client.create(type, object)))
        }
        return created
    }

    /// Waits until every sample has a settled status and at least one child of each of its
    /// operator's child types.
    private func waitUntilReady(_ samples: [(type: K8sType, object: KubeObject)], client: KubeClient) async throws {
        for (type, sample) in samples {
            let config = example.operators.first { $0.config.parent == type }?.config
            let childTypes = config?.children.map { $0.type } ?? []
            try await deadline(Self.readyTimeout, "\(describe(sample)) to get its children and status") {
                let parent = try await client.get(type, namespace: sample.namespace, name: sample.name ?? "")
                guard let status = parent.status, status.objectValue?.isEmpty == false, example.isSettled(status) else {
                    return false
                }
                for childType in childTypes {
                    let children = try await client.list(
                        childType, labelSelector: "\(TrackingLabels.parentUID)=\(parent.uid ?? "")")
                    if children.items.isEmpty { return false }
                }
                return true
            }
        }
    }
}

/// Polls `condition` every 50 ms until it holds.
///
/// - Throws: ``ExampleError`` when `timeout` passes first; `CancellationError` when cancelled.
func deadline(_ timeout: Duration, _ what: String, _ condition: @Sendable () async throws -> Bool) async throws {
    let end = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < end else { throw ExampleError("timed out after \(timeout) waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}
