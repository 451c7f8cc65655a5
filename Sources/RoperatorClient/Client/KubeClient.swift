public import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Tracing

/// A Kubernetes API client: typed verbs, list pagination, watches and discovery over pooled
/// HTTP/1.1 connections of its own (a pool for complete requests, a connection per watch).
///
/// Create one per API server and share it; call ``shutdown()`` when done.
///
/// ```swift
/// let client = try KubeClient(
///     configuration: ClientConfiguration(server: "https://127.0.0.1:6443", tls: .init(certificateAuthorityPEM: caPEM)),
///     options: .init(fieldManager: "my-operator"))
/// let pods = try await client.list(.pod, namespace: "default")
/// for pod in pods.items { print(pod.name ?? "") }
/// try await client.shutdown()
/// ```
public final class KubeClient: Sendable {
    /// Where and as whom requests go.
    public let configuration: ClientConfiguration
    /// Timeouts, retries, rate limit and identity.
    public let options: Options

    let logger: Logger
    /// The configured server, as spans describe it.
    let endpoint: ServerEndpoint
    /// The server URL as spans name it; its host is the TLS server name when one is configured.
    let baseURL: String
    /// The `Host` header of complete requests: the authority of ``baseURL``.
    let hostHeader: String
    /// The `host` dimension of the request metrics: the configured server's host and port.
    let metricsHost: String
    /// The connections: pooled for complete requests, one of its own per watch.
    let pool: HTTPConnectionPool
    let tlsConfiguration: TLSConfiguration?
    let rateLimiter: RateLimiter?
    let discoveryCache = DiscoveryCache()
    /// The event loops of the connections for complete requests: ``Options/eventLoopGroup``, or
    /// else one made for this client.
    let eventLoopGroup: any EventLoopGroup
    /// The event loops watches stream on: ``Options/watchEventLoopGroup``, else the given
    /// ``Options/eventLoopGroup``, else a second one made for this client.
    let watchEventLoopGroup: any EventLoopGroup
    /// The one-thread groups made for this client (requests, watches); shut down with it.
    private let ownedGroups: [MultiThreadedEventLoopGroup]
    /// The executor of ``eventLoopGroup`` when it has exactly one loop (the default): a task that
    /// runs there writes each request and takes its answer on that one thread, with no hand-over
    /// to the cooperative pool and back. `nil` for a group of several loops.
    package let loopExecutor: EventLoopExecutor?
    /// The executor of ``watchEventLoopGroup`` when it has exactly one loop (the default): a task
    /// that reads a watch there takes each chunk on the thread that read it from the socket.
    package let watchLoopExecutor: EventLoopExecutor?

    /// Creates a client. No connection is made until the first request.
    ///
    /// - Parameters:
    ///   - configuration: Server, TLS and credentials.
    ///   - options: Timeouts, retries, rate limit; defaults suit most operators.
    ///   - logger: Receives one debug line per request (never headers or bodies).
    /// - Throws: ``KubeClientError/Code/invalidConfiguration`` when the server URL or the TLS material is unusable.
    public init(
        configuration: ClientConfiguration,
        options: Options = Options(),
        logger: Logger = Logger(label: "roperator.client")
    ) throws {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        let endpoint = try ServerEndpoint(configuration.server)
        self.endpoint = endpoint
        // With a TLS server name, requests name that server (`Host`, spans) and go to the
        // configured address.
        var name = endpoint.host
        if endpoint.isTLS {
            self.tlsConfiguration = try Self.makeTLSConfiguration(configuration.tls)
            if let serverName = configuration.tls.serverName { name = serverName }
        } else {
            self.tlsConfiguration = nil
        }
        self.baseURL = endpoint.url(host: name)
        self.rateLimiter = options.rateLimit.map(RateLimiter.init)
        let bracketed = name.contains(":") ? "[\(name)]" : name
        self.hostHeader = endpoint.port.map { "\(bracketed):\($0)" } ?? bracketed
        self.metricsHost = endpoint.port.map { "\(endpoint.host):\($0)" } ?? endpoint.host
        // NIOSSL refuses an IP address as SNI; without a name it verifies the certificate against
        // the connected address, which is the IP in the URL.
        let serverHostname = configuration.tls.serverName ?? endpoint.host
        // Made once nothing can throw any more. By default one thread for requests and one for watches: an API server accepts far fewer
        // requests than one event loop carries (the operator's cold start took 14 % less CPU than
        // on NIO's group of a thread per core), and an operator runs its syncs on the first and
        // reads its watches into its caches on the second (see `OperatorGroup.Configuration`).
        var owned: [MultiThreadedEventLoopGroup] = []
        func made() -> MultiThreadedEventLoopGroup {
            owned.append(MultiThreadedEventLoopGroup(numberOfThreads: 1))
            return owned[owned.count - 1]
        }
        self.eventLoopGroup = options.eventLoopGroup ?? made()
        self.watchEventLoopGroup = options.watchEventLoopGroup ?? options.eventLoopGroup ?? made()
        self.ownedGroups = owned
        self.loopExecutor = Self.executor(ofOnlyLoopIn: eventLoopGroup)
        self.watchLoopExecutor = Self.executor(ofOnlyLoopIn: watchEventLoopGroup)
        self.pool = HTTPConnectionPool(
            target: .init(
                host: endpoint.host, port: endpoint.port ?? (endpoint.isTLS ? 443 : 80),
                serverHostname: Self.isIPAddress(serverHostname) ? nil : serverHostname,
                tls: tlsConfiguration, credentials: configuration.credentials),
            maxConnections: options.maxConnectionsPerHost, connectTimeout: options.connectTimeout.timeAmount,
            eventLoopGroup: eventLoopGroup)
    }

    /// The executor of the group's one loop; `nil` for a group of several.
    private static func executor(ofOnlyLoopIn group: any EventLoopGroup) -> EventLoopExecutor? {
        var loops = group.makeIterator()
        guard let only = loops.next(), loops.next() == nil else { return nil }
        return EventLoopExecutor(only)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// Closes all connections; open watches end with an error. Requests made afterwards fail with
    /// ``KubeClientError/Code/shutDown``.
    public func shutdown() async throws {
        await pool.shutdown()
        for group in ownedGroups { try? await group.shutdownGracefully() }
    }

    static func makeTLSConfiguration(_ tls: ClientConfiguration.TLS) throws -> TLSConfiguration {
        var config = TLSConfiguration.makeClientConfiguration()
        if tls.insecureSkipVerify {
            config.certificateVerification = .none
        } else if let ca = tls.certificateAuthorityPEM {
            do {
                config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
            } catch {
                throw KubeClientError(.invalidConfiguration, "certificate authority PEM is unreadable", underlying: error)
            }
        }
        if let cert = tls.clientCertificatePEM, let key = tls.clientKeyPEM {
            try addClientCertificate(certificatePEM: cert, keyPEM: key, to: &config)
        } else if (tls.clientCertificatePEM == nil) != (tls.clientKeyPEM == nil) {
            throw KubeClientError(.invalidConfiguration, "a client certificate needs both the certificate and the key")
        }
        return config
    }

    static func addClientCertificate(certificatePEM: [UInt8], keyPEM: [UInt8], to config: inout TLSConfiguration) throws {
        do {
            config.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificatePEM).map { .certificate($0) }
        } catch {
            throw KubeClientError(.invalidConfiguration, "client certificate PEM is unreadable", underlying: error)
        }
        do {
            config.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: keyPEM, format: .pem))
        } catch {
            // The NIOSSL error names no key material, but keep only its type to be certain.
            throw KubeClientError(.invalidConfiguration, "client key PEM is unreadable (\(type(of: error)))")
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
