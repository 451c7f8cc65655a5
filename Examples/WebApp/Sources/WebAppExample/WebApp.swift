public import Foundation
public import Roperator
public import RoperatorModelsMetaV1
import RoperatorModelsAppsV1
import RoperatorModelsCoreV1

/// The WebApp example: for every `WebApp` custom resource the operator keeps a typed `Deployment`
/// (`spec.replicas` copies of `spec.image`) and a `Service` in front of it, and reports the
/// Deployment's ready replicas in the status.
///
/// The Swift type is the custom resource: `crd.yaml` is generated from it
/// (`swift run web-app --print-crd`), with the scale subresource, so `kubectl scale webapp` works.
///
/// ```swift
/// try await runOperator(WebApp.config(), WebAppHandler())
/// ```
public struct WebApp: CustomResource, Equatable {
    public typealias Spec = WebAppSpec
    public typealias Status = WebAppStatus

    public static let group = "example.roperator.io"
    public static let version = "v1alpha1"
    public static let kind = "WebApp"
    public static let plural = "webapps"
    public static let namespaced = true
    public static let shortNames = ["wa"]
    public static let printerColumns = [
        PrinterColumn(name: "Image", type: .string, jsonPath: ".spec.image"),
        PrinterColumn(name: "Desired", type: .integer, jsonPath: ".spec.replicas"),
        PrinterColumn(name: "Ready", type: .integer, jsonPath: ".status.readyReplicas"),
    ]
    public static let scale: ScaleSubresource? = ScaleSubresource(
        specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas",
        labelSelectorPath: ".status.selector")
    public static let resourceDescription: String? =
        "A web application: a Deployment and a Service, managed by the WebApp example operator."

    /// Standard object metadata.
    public var metadata: ObjectMeta?
    /// What to run.
    public var spec: WebAppSpec
    /// What the operator observed.
    public var status: WebAppStatus?

    /// A WebApp; see the properties.
    public init(metadata: ObjectMeta? = nil, spec: WebAppSpec, status: WebAppStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// The operator's name: field manager, Event source and `roperator.io/operator` label value.
    public static let operatorName = "web-app-operator"

    /// The operator configuration: the Deployment and the Service are replaced in place.
    ///
    /// - Parameter namespace: Only parents in this namespace; `nil` (the default) watches all.
    public static func config(namespace: String? = nil) -> OperatorConfig {
        OperatorConfig(name: operatorName, parent: WebApp.self)
            .withChild(Deployment.self, .replace)
            .withChild(Service.self, .replace)
            .namespace(namespace)
    }

    /// `crd.yaml` beside the example's sources: the WebApp CustomResourceDefinition.
    public static var crdFile: URL { resource("crd") }

    /// `sample.yaml` beside the example's sources: a WebApp to start with.
    public static var sampleFile: URL { resource("sample") }

    private static func resource(_ name: String) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml") else {
            preconditionFailure("\(name).yaml is missing from the WebAppExample resources")
        }
        return url
    }
}
