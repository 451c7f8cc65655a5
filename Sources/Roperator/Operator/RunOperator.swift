public import Logging
import RoperatorClient
import ServiceLifecycle

/// Runs one operator against the cluster this process finds (in-cluster service account, else
/// `KUBECONFIG`/`~/.kube/config`) until SIGTERM or SIGINT asks it to stop.
///
/// ```swift
/// @main struct Main {
///     static func main() async throws {
///         try await runOperator(OperatorConfig(name: "echo", parent: echoType).withChild(.configMap), EchoHandler())
///     }
/// }
/// ```
///
/// - Parameters:
///   - config: What to watch and how to write.
///   - handler: The sync (and finalize) logic.
///   - logger: The operator's logger.
/// - Throws: when no cluster configuration is found, the configuration is invalid, or setup fails.
public func runOperator(
    _ config: OperatorConfig, _ handler: some Handler, logger: Logger = Logger(label: "roperator")
) async throws {
    var options = KubeClient.Options()
    options.fieldManager = config.name
    let client = try KubeClient(configuration: try ClientConfiguration.autodetect(), options: options, logger: logger)
    do {
        let member = try Operator(config: config, handler: handler, client: client, logger: logger)
        let group = ServiceGroup(services: [member], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
}
