public import Foundation
public import Roperator

/// The EchoServer example: for every `EchoServer` custom resource the operator runs one echo
/// server Pod and a Service named `spec.serviceName` in front of it, and reports the Pod's state
/// in `status.message`.
///
/// ```swift
/// try await runOperator(EchoServer.config(), EchoServerHandler())
/// ```
public enum EchoServer {
    /// `example.roperator.io/v1alpha1`, kind `EchoServer`, namespaced.
    public static let type = K8sType(
        group: "example.roperator.io", version: "v1alpha1", kind: "EchoServer", plural: "echoservers")

    /// The operator's name: field manager, Event source and `roperator.io/operator` label value.
    public static let operatorName = "echo-server-operator"

    /// The image run when `spec.image` is not set. It answers every request with its `-text`.
    public static let defaultImage = "hashicorp/http-echo:1.0"

    /// The port the echo server listens on inside the Pod.
    public static let containerPort: Int64 = 5678

    /// The operator configuration: Pods are recreated when they change (most Pod fields are
    /// immutable), Services are replaced in place.
    ///
    /// - Parameter namespace: Only parents in this namespace; `nil` (the default) watches all.
    public static func config(namespace: String? = nil) -> OperatorConfig {
        OperatorConfig(name: operatorName, parent: type)
            .withChild(.pod, .recreate)
            .withChild(.service, .replace)
            .namespace(namespace)
    }

    /// The name of the Pod that serves `parentName`.
    public static func podName(for parentName: String) -> String { "\(parentName)-pod" }

    /// `crd.yaml` beside the example's sources: the EchoServer CustomResourceDefinition.
    public static var crdFile: URL { resource("crd") }

    /// `sample.yaml` beside the example's sources: an EchoServer to start with.
    public static var sampleFile: URL { resource("sample") }

    private static func resource(_ name: String) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml") else {
            preconditionFailure("\(name).yaml is missing from the EchoServerExample resources")
        }
        return url
    }
}
