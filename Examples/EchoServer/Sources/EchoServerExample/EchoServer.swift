public import Foundation
public import Roperator
public import RoperatorModelsMetaV1
import RoperatorModelsCoreV1

/// The EchoServer example: for every `EchoServer` custom resource the operator runs one echo
/// server Pod and a Service named `spec.serviceName` in front of it, and reports the Pod's state
/// in `status.message`.
///
/// The Swift type is the custom resource: its CustomResourceDefinition (`crd.yaml`) is generated
/// from it (`swift run echo-server --print-crd`).
///
/// ```swift
/// try await runOperator(EchoServer.config(), EchoServerHandler())
/// ```
public struct EchoServer: CustomResource, Equatable {
    public typealias Spec = EchoServerSpec
    public typealias Status = EchoServerStatus

    public static let group = "example.roperator.io"
    public static let version = "v1alpha1"
    public static let kind = "EchoServer"
    public static let plural = "echoservers"
    public static let namespaced = true
    public static let printerColumns = [
        PrinterColumn(name: "Service", type: .string, jsonPath: ".spec.serviceName"),
        PrinterColumn(name: "Pod", type: .string, jsonPath: ".status.podPhase"),
        PrinterColumn(name: "Message", type: .string, jsonPath: ".status.message"),
    ]
    public static let resourceDescription: String? =
        "One echo server Pod and a Service in front of it, managed by the EchoServer example operator."

    /// Standard object metadata.
    public var metadata: ObjectMeta?
    /// What to run.
    public var spec: EchoServerSpec
    /// What the operator observed.
    public var status: EchoServerStatus?

    /// An EchoServer; see the properties.
    public init(metadata: ObjectMeta? = nil, spec: EchoServerSpec, status: EchoServerStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// The operator's name: field manager, Event source and `roperator.io/operator` label value.
    public static let operatorName = "echo-server-operator"

    /// The image run when `spec.image` is not set. It answers every request with its `-text`.
    public static let defaultImage = "hashicorp/http-echo:1.0"

    /// The port the echo server listens on inside the Pod.
    public static let containerPort: Int32 = 5678

    /// The operator configuration: Pods are recreated when they change (most Pod fields are
    /// immutable), Services are replaced in place.
    ///
    /// - Parameter namespace: Only parents in this namespace; `nil` (the default) watches all.
    public static func config(namespace: String? = nil) -> OperatorConfig {
        OperatorConfig(name: operatorName, parent: EchoServer.self)
            .withChild(Pod.self, .recreate)
            .withChild(Service.self, .replace)
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
