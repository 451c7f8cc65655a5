public import Roperator

/// `ConfigBundle`: a set of keys and values kept in a ConfigMap by server-side apply.
public enum ConfigBundle {
    /// `example.roperator.io/v1alpha1`, kind `ConfigBundle`, namespaced.
    public static let type = K8sType(
        group: "example.roperator.io", version: "v1alpha1", kind: "ConfigBundle", plural: "configbundles")

    /// The operator's name, also its server-side apply field manager.
    public static let operatorName = "config-bundle-operator"

    /// The operator configuration: ConfigMaps written with server-side apply.
    public static func config() -> OperatorConfig {
        OperatorConfig(name: operatorName, parent: type).withChild(.configMap, .serverSideApply)
    }
}
