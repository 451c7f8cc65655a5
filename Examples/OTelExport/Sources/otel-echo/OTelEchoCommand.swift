import OTel
import OTelExport
import Roperator

/// `otel-echo`: a ConfigMap per `Echo` (`example.com/v1`), its reconcile spans exported over
/// OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default `http://localhost:4318`).
@main
struct OTelEchoCommand: OperatorMain {
    static let echoType = K8sType(group: "example.com", version: "v1", kind: "Echo", plural: "echoes")

    static func run() async throws {
        var otel = OTel.Configuration.default
        otel.serviceName = "otel-echo"
        let config = OperatorConfig(name: "otel-echo", parent: echoType).withChild(.configMap, .replace)
        try await TracedOperator.run(config, EchoHandler(), otel: otel)
    }
}
