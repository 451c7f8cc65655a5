public import Foundation
public import Roperator

/// The TempNamespace example: a cluster-scoped `TempNamespace` owns a Namespace until
/// `spec.deleteAfter` passes, then stops returning it, so the runtime deletes it.
///
/// It shows `resyncAfter` (the handler asks to be called again when the deadline comes, with no
/// event to wake it), the `onDelete` strategy (the Namespace is created, never updated) and a
/// finalizer with ``TempNamespaceHandler/finalize(_:)``.
///
/// ```swift
/// try await runOperator(TempNamespace.config(), TempNamespaceHandler())
/// ```
public enum TempNamespace {
    /// `example.roperator.io/v1alpha1`, kind `TempNamespace`, cluster-scoped.
    public static let type = K8sType(
        group: "example.roperator.io", version: "v1alpha1", kind: "TempNamespace", plural: "tempnamespaces",
        namespaced: false)

    /// The operator's name.
    public static let operatorName = "temp-namespace-operator"

    /// The operator configuration: one child type, Namespaces, created but never updated.
    public static func config() -> OperatorConfig {
        OperatorConfig(name: operatorName, parent: type).withChild(.namespace, .onDelete)
    }

    /// `crd.yaml` beside the example's sources.
    public static var crdFile: URL { resource("crd") }

    /// `sample.yaml` beside the example's sources.
    public static var sampleFile: URL { resource("sample") }

    private static func resource(_ name: String) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml") else {
            preconditionFailure("\(name).yaml is missing from the TempNamespaceExample resources")
        }
        return url
    }
}
