public import Roperator

/// `FeatureFlags`: named on/off switches published as a ConfigMap `<name>-flags` by server-side apply.
public enum FeatureFlags {
    /// `example.roperator.io/v1alpha1`, kind `FeatureFlags`, namespaced.
    public static let type = K8sType(
        group: "example.roperator.io", version: "v1alpha1", kind: "FeatureFlags", plural: "featureflags")

    /// The operator's name, also its server-side apply field manager.
    public static let operatorName = "feature-flags-operator"

    /// The operator configuration: ConfigMaps written with server-side apply.
    public static func config() -> OperatorConfig {
        OperatorConfig(name: operatorName, parent: type).withChild(.configMap, .serverSideApply)
    }

    /// The ConfigMap that publishes the flags of `parentName`.
    public static func configMapName(for parentName: String) -> String { "\(parentName)-flags" }
}
