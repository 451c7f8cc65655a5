import Logging
import OTel
import Roperator
import ServiceLifecycle

/// Runs an operator whose spans swift-otel exports over OTLP.
///
/// ```swift
/// var otel = OTel.Configuration.default       // OTEL_* environment variables apply on top
/// otel.serviceName = "echo-operator"
/// try await TracedOperator.run(config, EchoHandler(), otel: otel)
/// ```
public enum TracedOperator {
    /// Runs `handler` with `config` against the cluster `ClientConfiguration.autodetect()` finds,
    /// its spans (`reconcile <Kind>` and below, the client's request spans) exported as `otel`
    /// says, until SIGTERM or SIGINT.
    ///
    /// The exporter runs in the same `ServiceGroup` as the operator and stops after it, so that
    /// the spans of the last reconciles are flushed on shutdown.
    ///
    /// - Throws: when the OTel configuration, the cluster configuration or the operator is invalid.
    public static func run(
        _ config: OperatorConfig, _ handler: some Handler, otel: OTel.Configuration,
        logger: Logger = Logger(label: "roperator")
    ) async throws {
        var otel = otel
        // Traces only: logs and metrics keep whatever backend the process bootstrapped.
        otel.logs.enabled = false
        otel.metrics.enabled = false
        let tracing = try OTel.makeTracingBackend(configuration: otel)
        var options = KubeClient.Options()
        options.fieldManager = config.name
        options.tracer = tracing.factory
        let client = try KubeClient(configuration: try ClientConfiguration.autodetect(), options: options, logger: logger)
        do {
            let member = try Operator(config: config.tracer(tracing.factory), handler: handler, client: client, logger: logger)
            // Services stop in reverse order: the operator first, then the exporter flushes.
            let group = ServiceGroup(
                services: [tracing.service, member], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        } catch {
            try? await client.shutdown() // the run's error is the one to report
            throw error
        }
        try await client.shutdown()
    }
}
