import Foundation
import Logging
import Roperator
import ServiceLifecycle

/// The `main` of every example executable.
///
/// ```swift
/// // Sources/echo-server/EchoServerCommand.swift
/// @main
/// enum EchoServerCommand {
///     static func main() async {
///         await ExampleCommand.main(Example(name: "echo-server", operators: [(EchoServer.config(), EchoServerHandler())],
///                                           crdFile: EchoServer.crdFile, sampleFile: EchoServer.sampleFile))
///     }
/// }
/// ```
public enum ExampleCommand {
    /// Parses the command line and runs `example`: against the kubeconfig's cluster by default,
    /// against an in-process API server with `--embedded`. Exits the process: 0 after a clean
    /// shutdown (SIGINT/SIGTERM, or `--exit-after-ready`), 1 on failure, 2 on a bad command line;
    /// failures print `error: <message>` to standard error (``CommandLineFailure``).
    ///
    /// Deliberately not declared `-> Never` although it never returns: with Swift 6.3.1 on Linux
    /// (debug builds), a caller of an `async -> Never` function passing `example` (a large struct,
    /// passed indirectly) released the argument's storage while this function still used it. The
    /// executables crashed at startup in most runs: first by returning to address 0 right after the
    /// hop off the main actor, later (with a larger `OperatorConfig`) with a corrupted `operators`
    /// array in `applyLeaderElection`, and again in `EmbeddedExample` once `OperatorConfig` grew
    /// further; ``Example`` is a class since, passed as one reference.
    public static func main(_ example: Example, arguments: [String] = Array(CommandLine.arguments.dropFirst())) async {
        let options: ExampleOptions
        do {
            options = try ExampleOptions(parsing: arguments)
        } catch {
            CommandLineFailure.exit(message: "\(error)\n\n\(ExampleOptions.usage(example.name))", status: 2)
        }
        if options.help {
            print(ExampleOptions.usage(example.name))
            exit(0)
        }
        let example = options.applyLeaderElection(to: example)
        var logger = Logger(label: example.name)
        logger.logLevel = options.verbose ? .info : .warning
        await runOperatorMain {
            if options.embedded {
                let service = EmbeddedExample(example: example, options: options, logger: logger)
                // The service returns by itself only after --exit-after-ready: a success, not a crash.
                let group = ServiceGroup(
                    configuration: ServiceGroupConfiguration(
                        services: [
                            .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: example.name)
                        ],
                        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                try await group.run()
            } else {
                try await runOnCluster(example, logger: logger)
            }
        }
        exit(0)
    }

    /// Runs the operators against the cluster `ClientConfiguration.autodetect()` finds.
    static func runOnCluster(_ example: Example, logger: Logger) async throws {
        Console.say("\(example.name): running against the current kubeconfig's cluster; register the CRD and a sample with")
        Console.say("  kubectl apply -f \(example.crdFile.path) && kubectl apply -f \(example.sampleFile.path)")
        if example.operators.count == 1, let only = example.operators.first {
            try await runOperator(only.config, only.handler, logger: logger)
            return
        }
        // Several operators share one client and one set of caches.
        var options = KubeClient.Options()
        options.fieldManager = example.name
        let client = try KubeClient(configuration: try ClientConfiguration.autodetect(), options: options, logger: logger)
        do {
            let operators = OperatorGroup(client: client, logger: logger)
            for (config, handler) in example.operators { try operators.add(config, handler: handler) }
            try await ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [operators], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            ).run()
        } catch {
            try? await client.shutdown() // the run's error is the one to report
            throw error
        }
        try await client.shutdown()
    }
}
