public import RoperatorClient
import NIOCore
import NIOSSL

/// A Kubernetes API server in this process, on a loopback port, speaking the real REST API over
/// real HTTP: the test bed for operators and clients, and what `roperator-apiserver` runs.
///
/// ```swift
/// let server = try await EmbeddedAPIServer.start()
/// let client = try KubeClient(configuration: server.clientConfiguration)
/// // ...
/// try await server.shutdown()
/// ```
///
/// or, scoped:
///
/// ```swift
/// try await withEmbeddedAPIServer { server in
///     try server.writeKubeconfig(to: "/tmp/kubeconfig")
/// }
/// ```
public final class EmbeddedAPIServer: Sendable {
    /// The configuration it was started with.
    public let configuration: Configuration
    /// Failure, latency, watch-cutting, compaction and listener controls.
    public let faults: FaultInjector
    /// Resource requests answered so far, per verb; also served at `/metrics`.
    public let requests: RequestCounter
    /// The CA, server and client certificates, when serving TLS.
    public let certificates: GeneratedCertificates?
    /// The bearer token ``clientConfiguration`` and ``writeKubeconfig(to:)`` use, if any.
    public let token: String?

    /// The storage engine behind the HTTP layer, for in-package tools that seed or inspect state directly.
    package let store: ObjectStore
    private let listener: HTTPListener
    private let persistence: StatePersistence?
    private let background = Lock<Task<Void, Never>?>(nil)

    private init(
        configuration: Configuration, faults: FaultInjector, requests: RequestCounter, certificates: GeneratedCertificates?, token: String?,
        store: ObjectStore, listener: HTTPListener, persistence: StatePersistence?
    ) {
        self.configuration = configuration
        self.faults = faults
        self.requests = requests
        self.certificates = certificates
        self.token = token
        self.store = store
        self.listener = listener
        self.persistence = persistence
    }

    /// Starts a server and returns once it accepts connections.
    ///
    /// - Parameter configuration: where and how to serve; the default is plain HTTP on a free port.
    /// - Returns: the running server; call ``shutdown()`` when done.
    /// - Throws: when the port cannot be bound, the certificates cannot be made, a
    ///   ``Configuration/customResourceDefinitions`` entry is invalid, or the data directory cannot be read.
    public static func start(_ configuration: Configuration = Configuration()) async throws -> EmbeddedAPIServer {
        let certificates = configuration.tls ? try GeneratedCertificates.generate(serverNames: [configuration.host]) : nil
        var tokens = configuration.tokens
        var token = tokens.keys.sorted().first
        let rbac = configuration.authorization == .rbac
        let requireAuthentication = configuration.requireAuthentication || rbac
        let isAdmin = { (user: String) in configuration.userGroups[user]?.contains(Authorizer.mastersGroup) == true }
        if rbac {
            // The server's own credentials are an administrator's, so that setting up roles works.
            token = tokens.keys.sorted().first { isAdmin(tokens[$0]!) }
        }
        if requireAuthentication && token == nil && (!configuration.tls || rbac) {
            let generated = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
            tokens[generated] = Self.adminUser
            token = generated
        }

        let registry = ResourceRegistry()
        let store = ObjectStore(
            registry: registry,
            configuration: ObjectStore.Configuration(eventWindow: configuration.eventWindow, watchBuffer: configuration.watchBuffer))
        // Lists at older versions and continue tokens stay valid until compaction.
        let persistence = configuration.dataDirectory.map { StatePersistence(directory: $0, store: store) }
        try persistence?.load()
        let crdInfo = registry.lookup(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions")!
        for crd in configuration.customResourceDefinitions {
            let name = crd[path: "metadata", "name"]?.stringValue ?? ""
            if !name.isEmpty && registry.isRegistered(crdName: name) {
                _ = try store.patch(
                    crdInfo, namespace: nil, name: name, type: .apply, body: crd.serializedBytes(),
                    options: WriteOptions(fieldManager: "roperator-apiserver", force: true))
            } else {
                _ = try store.create(crdInfo, namespace: nil, object: crd, options: WriteOptions(fieldManager: "roperator-apiserver"))
            }
        }

        if rbac { try BootstrapPolicy.install(in: store) }

        let tlsContext = try certificates.map(Self.makeTLSContext)
        let faults = FaultInjector(rules: configuration.faultRules, latency: configuration.latency)
        let requests = RequestCounter()
        let discovery = DiscoveryDocuments(registry: registry)
        let router = APIRouter(
            store: store, faults: faults, requests: requests, discovery: discovery,
            openAPI: OpenAPIDocuments(registry: registry, kubernetesVersion: configuration.kubernetesVersion),
            version: VersionInfo(gitVersion: configuration.kubernetesVersion),
            bookmarkInterval: configuration.bookmarkInterval,
            defaultWatchTimeout: configuration.defaultWatchTimeout,
            authorizer: rbac ? Authorizer(store: store) : nil)
        let listener = HTTPListener(
            host: configuration.host, port: configuration.port, tlsContext: tlsContext,
            authenticator: Authenticator(
                isEnabled: requireAuthentication, tokens: tokens, certificateUser: Self.adminUser,
                userGroups: configuration.userGroups),
            handler: router)
        do {
            try await listener.start()
        } catch {
            await listener.close()
            throw error
        }
        faults.attach(FaultInjector.Control(listener: listener, compact: { store.compact() }))

        let server = EmbeddedAPIServer(
            configuration: configuration, faults: faults, requests: requests, certificates: certificates, token: token,
            store: store, listener: listener, persistence: persistence)
        let snapshotInterval = configuration.snapshotInterval
        let compactionInterval = configuration.compactionInterval
        server.background.withLock {
            $0 = Task {
                await withDiscardingTaskGroup { group in
                    group.addTask { await Self.repeatUntilCancelled(every: compactionInterval) { store.compactListHistory() } }
                    if let persistence {
                        group.addTask {
                            await Self.repeatUntilCancelled(every: snapshotInterval) { persistence.saveReportingErrors() }
                        }
                    }
                }
            }
        }
        return server
    }

    /// Runs `body` every `interval` until the task is cancelled.
    private static func repeatUntilCancelled(every interval: Duration, _ body: () -> Void) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            body()
        }
    }

    private static func makeTLSContext(_ certificates: GeneratedCertificates) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificates.serverCertificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(certificates.serverKeyPEM.utf8), format: .pem)))
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificates.certificateAuthorityPEM.utf8)))
        // Clients may present a certificate (then it must verify) or authenticate with a token.
        tls.certificateVerification = .optionalVerification
        tls.applicationProtocols = ["http/1.1"]
        return try NIOSSLContext(configuration: tls)
    }

    /// The bound port.
    public var port: Int { listener.port }

    /// `http://127.0.0.1:<port>` or `https://…`, without a trailing slash.
    public var url: String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "\(configuration.tls ? "https" : "http")://\(host):\(port)"
    }

    /// A RoperatorClient configuration that reaches this server: its URL, the generated CA, the
    /// client certificate and the token, as applicable; namespace `default`.
    public var clientConfiguration: ClientConfiguration {
        var tls = ClientConfiguration.TLS()
        if let certificates {
            tls.certificateAuthorityPEM = Array(certificates.certificateAuthorityPEM.utf8)
            tls.clientCertificatePEM = Array(certificates.clientCertificatePEM.utf8)
            tls.clientKeyPEM = Array(certificates.clientKeyPEM.utf8)
        }
        return ClientConfiguration(server: url, namespace: "default", tls: tls, credentials: token.map(StaticTokenProvider.init(token:)))
    }

    /// The user name of the server's own credentials (the client certificate's common name and
    /// a generated token's user).
    public static let adminUser = "roperator-admin"

    /// A RoperatorClient configuration that reaches this server as the user a bearer token stands
    /// for (one of ``Configuration/tokens``): the generated CA but no client certificate, so that
    /// the token alone authenticates; with RBAC, that user's roles apply.
    ///
    /// - Parameter token: a key of ``Configuration/tokens``.
    public func clientConfiguration(token: String) -> ClientConfiguration {
        var configuration = clientConfiguration
        configuration.tls.clientCertificatePEM = nil
        configuration.tls.clientKeyPEM = nil
        configuration.credentials = StaticTokenProvider(token: token)
        return configuration
    }

    /// A kubeconfig like ``kubeconfig`` for the user a bearer token stands for (no client certificate).
    ///
    /// - Parameter token: a key of ``Configuration/tokens``.
    public func kubeconfig(token: String) -> String {
        KubeconfigWriter(server: url, certificateAuthorityPEM: certificates?.certificateAuthorityPEM, token: token).yaml()
    }

    /// The kubeconfig YAML that points kubectl and client libraries at this server (context and
    /// cluster `roperator`, namespace `default`), embedding the CA, client certificate and token.
    public var kubeconfig: String {
        KubeconfigWriter(
            server: url,
            certificateAuthorityPEM: certificates?.certificateAuthorityPEM,
            clientCertificatePEM: certificates?.clientCertificatePEM,
            clientKeyPEM: certificates?.clientKeyPEM,
            token: token
        ).yaml()
    }

    /// Writes ``kubeconfig`` to a file (mode 0600), creating its directory.
    ///
    /// - Throws: the file system error.
    public func writeKubeconfig(to path: String) throws {
        let writer = KubeconfigWriter(
            server: url,
            certificateAuthorityPEM: certificates?.certificateAuthorityPEM,
            clientCertificatePEM: certificates?.clientCertificatePEM,
            clientKeyPEM: certificates?.clientKeyPEM,
            token: token)
        try writer.write(to: path)
    }

    /// Writes the state to the data directory now (no-op without one).
    ///
    /// - Throws: the encoding or file system error.
    public func saveState() throws {
        try persistence?.save()
    }

    /// Stops accepting connections, closes the open ones (ending their watches) and, with a data
    /// directory, writes the state. Safe to call more than once.
    ///
    /// - Throws: when the final state cannot be written.
    public func shutdown() async throws {
        let task = background.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        faults.attach(nil)
        await listener.close()
        store.cutWatches()
        try persistence?.save(complete: true)
    }
}

/// Starts an ``EmbeddedAPIServer``, runs `body` with it and shuts it down, also when `body` throws.
///
/// ```swift
/// let version = try await withEmbeddedAPIServer { server in server.url }
/// ```
///
/// - Parameters:
///   - configuration: how to start the server.
///   - isolation: the caller's actor isolation, inherited so that `body` may touch the caller's
///     state; leave the default.
///   - body: what to do while it runs.
/// - Returns: what `body` returns.
/// - Throws: what `start`, `body` or `shutdown` throws (`body`'s error wins).
public func withEmbeddedAPIServer<Result>(
    _ configuration: EmbeddedAPIServer.Configuration = EmbeddedAPIServer.Configuration(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (EmbeddedAPIServer) async throws -> Result
) async throws -> Result {
    let server = try await EmbeddedAPIServer.start(configuration)
    let result: Result
    do {
        result = try await body(server)
    } catch {
        try? await server.shutdown() // the body's error is the one worth reporting
        throw error
    }
    try await server.shutdown()
    return result
}
