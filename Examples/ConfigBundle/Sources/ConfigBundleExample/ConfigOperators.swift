public import Foundation
public import Logging
public import Roperator

/// The ConfigBundle example's two operators, run together in one ``OperatorGroup`` so they share
/// one client and one ConfigMap cache: ``ConfigBundle`` and ``FeatureFlags``. Both write their
/// ConfigMaps with server-side apply, so keys other field managers add survive.
///
/// ```swift
/// let group = try ConfigOperators.makeGroup(client: client)
/// try await ServiceGroup(services: [group], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public enum ConfigOperators {
    /// Every operator of the example with its handler, in the order they are added to a group.
    public static var operators: [(config: OperatorConfig, handler: any Handler)] {
        [(ConfigBundle.config(), ConfigBundleHandler()), (FeatureFlags.config(), FeatureFlagsHandler())]
    }

    /// An ``OperatorGroup`` holding both operators.
    ///
    /// - Parameters:
    ///   - client: The shared client.
    ///   - logger: The operators' logger.
    /// - Throws: ``OperatorConfigError`` (not expected: the configurations are fixed).
    public static func makeGroup(client: KubeClient, logger: Logger = Logger(label: "config-bundle")) throws -> OperatorGroup {
        let group = OperatorGroup(client: client, logger: logger)
        for (config, handler) in operators {
            try group.add(config, handler: handler)
        }
        return group
    }

    /// `crd.yaml` beside the example's sources: both CustomResourceDefinitions.
    public static var crdFile: URL { resource("crd") }

    /// `sample.yaml` beside the example's sources: one parent of each type.
    public static var sampleFile: URL { resource("sample") }

    private static func resource(_ name: String) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml") else {
            preconditionFailure("\(name).yaml is missing from the ConfigBundleExample resources")
        }
        return url
    }
}
