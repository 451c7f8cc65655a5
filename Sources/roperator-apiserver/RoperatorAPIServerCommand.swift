import ArgumentParser
import Dispatch
import Foundation
import Logging
import RoperatorAPIServer
import ServiceLifecycle

/// `roperator-apiserver`: the embedded Kubernetes API server as a standalone process, for kubectl
/// and local development.
@main
struct RoperatorAPIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roperator-apiserver",
        abstract: "A Kubernetes API server in one process, for kubectl, client libraries and operator development.",
        discussion: """
            Prints its address (and the kubeconfig path) on start. With --kubeconfig it writes a kubeconfig \
            pointing at itself, so `KUBECONFIG=PATH kubectl get ns` works. Stops cleanly on SIGINT or SIGTERM. \
            SIGUSR1 forgets the retained watch events (as an etcd compaction does) and ends every open watch, \
            so that clients resuming from an older resourceVersion get 410 Gone and relist.
            """)

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Write a kubeconfig pointing at this server to PATH.")
    var kubeconfig: String?

    @Flag(
        help:
            "Serve HTTPS with a generated CA and require a client certificate or token; the kubeconfig embeds the CA and a client certificate."
    )
    var tls = false

    @Option(help: "Require this bearer token (the kubeconfig uses it).")
    var token: String?

    @Option(
        help:
            "How requests are authorized: AlwaysAllow (default) or RBAC (kube-apiserver's RBAC; the --token user and the client certificate are in system:masters)."
    )
    var authorizationMode: String = "AlwaysAllow"

    @Option(help: "A kube-apiserver static token file: lines of token,user,uid,\"group1,group2\" (repeatable).")
    var tokenAuthFile: [String] = []

    @Option(name: .customLong("crd"), help: "A YAML or JSON file of CustomResourceDefinitions to register at start (repeatable).")
    var crdFiles: [String] = []

    @Option(help: "Keep the state in DIR across restarts.")
    var dataDir: String?

    @Option(help: "Kubernetes version reported by /version.")
    var kubernetesVersion: String = "v1.32.3"

    @Option(help: "Fraction of requests (0...1) failed on purpose.")
    var faultRate: Double = 0

    @Option(help: "HTTP status of injected failures: 500, 503, 429 or 409.")
    var faultStatus: Int = 500

    @Option(
        help:
            "Comma-separated verbs the injected failures hit (get,list,watch,create,update,patch,delete,deletecollection); all when empty.")
    var faultVerbs: String = ""

    @Option(help: "Retry-After seconds sent with injected 429s.")
    var retryAfter: Int = 1

    @Option(help: "Milliseconds of latency added to every answer.")
    var latencyMs: Int = 0

    func validate() throws {
        guard EmbeddedAPIServer.Configuration.Authorization(rawValue: authorizationMode) != nil else {
            throw ValidationError("--authorization-mode must be AlwaysAllow or RBAC, not \(authorizationMode)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1") }
        guard [500, 503, 429, 409].contains(faultStatus) else { throw ValidationError("--fault-status must be 500, 503, 429 or 409") }
        for verb in faultVerbs.split(separator: ",") where APIVerb(rawValue: String(verb)) == nil {
            throw ValidationError("unknown verb in --fault-verbs: \(verb)")
        }
    }

    func run() async throws {
        HeapSettings.apply()
        var configuration = EmbeddedAPIServer.Configuration(
            host: host, port: port, tls: tls, kubernetesVersion: kubernetesVersion, dataDirectory: dataDir)
        if let token {
            configuration.tokens[token] = "roperator-admin"
        }
        for file in tokenAuthFile {
            for entry in try StaticTokenFile.parse(String(contentsOfFile: file, encoding: .utf8), path: file) {
                configuration.tokens[entry.token] = entry.user
                if !entry.groups.isEmpty { configuration.userGroups[entry.user, default: []] += entry.groups }
            }
        }
        configuration.authorization = EmbeddedAPIServer.Configuration.Authorization(rawValue: authorizationMode) ?? .alwaysAllow
        configuration.requireAuthentication = tls || !configuration.tokens.isEmpty || configuration.authorization == .rbac
        for file in crdFiles {
            configuration.customResourceDefinitions += try EmbeddedAPIServer.Configuration.customResourceDefinitions(fromFile: file)
        }
        if faultRate > 0 {
            let failure: FaultRule.Failure =
                switch faultStatus {
                case 503: .serviceUnavailable
                case 429: .tooManyRequests(retryAfterSeconds: retryAfter)
                case 409: .conflict
                default: .internalError
                }
            let verbs = Set(faultVerbs.split(separator: ",").compactMap { APIVerb(rawValue: String($0)) })
            configuration.faultRules = [FaultRule(failure, verbs: verbs, probability: faultRate)]
        }
        configuration.latency = .milliseconds(latencyMs)

        let service = APIServerService(configuration: configuration, kubeconfig: kubeconfig)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "roperator-apiserver")))
        try await group.run()
    }
}

/// Runs the server until a graceful shutdown is requested.
struct APIServerService: Service {
    let configuration: EmbeddedAPIServer.Configuration
    let kubeconfig: String?

    func run() async throws {
        let server = try await EmbeddedAPIServer.start(configuration)
        let relistSignal = relistOnSignal(server)
        defer { relistSignal.cancel() }
        // The "listening" line comes last, so that whoever waits for it finds the kubeconfig written.
        if let kubeconfig {
            try server.writeKubeconfig(to: kubeconfig)
            say("kubeconfig: \(kubeconfig)")
        }
        if let dataDirectory = configuration.dataDirectory {
            say("data directory: \(dataDirectory)")
        }
        say("roperator-apiserver listening on \(server.url)")
        try? await gracefulShutdown() // throws only when cancelled, which also means: stop now
        try await server.shutdown()
        say("roperator-apiserver stopped")
    }
}

/// SIGUSR1: a forced compaction and cut watches, so that every watcher relists (benchmarks use it
/// to measure the memory peak of a relist from another process).
func relistOnSignal(_ server: EmbeddedAPIServer) -> any DispatchSourceSignal {
    signal(SIGUSR1, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
    source.setEventHandler {
        Task {
            await server.faults.forceCompaction()
            let cut = server.faults.cutWatches()
            say("SIGUSR1: compacted, \(cut) watches ended")
        }
    }
    source.resume()
    return source
}

/// Writes a line to standard output at once: whoever started the server waits for these lines, and
/// `print` would hold them in a buffer when stdout is a pipe.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
