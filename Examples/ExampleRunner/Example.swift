public import Foundation
public import Roperator

/// What an example executable runs: its operators, its CRD file and its sample parents.
///
/// ```swift
/// await ExampleCommand.main(Example(
///     name: "echo-server",
///     operators: [(EchoServer.config(), EchoServerHandler())],
///     crdFile: EchoServer.crdFile, sampleFile: EchoServer.sampleFile))
/// ```
public struct Example: Sendable {
    /// The executable's name, for messages and the kubeconfig file name.
    public var name: String
    /// The operators, run together in one process.
    public var operators: [(config: OperatorConfig, handler: any Handler)]
    /// A YAML file of the parents' CustomResourceDefinitions.
    public var crdFile: URL
    /// A YAML file of sample parents (one or more documents).
    public var sampleFile: URL
    /// Whether a sample parent's status shows the operator has seen its children; until it does
    /// the example is not ready. The default accepts any status.
    public var isSettled: @Sendable (_ status: JSONValue) -> Bool

    /// - Parameters: see the properties.
    public init(
        name: String, operators: [(config: OperatorConfig, handler: any Handler)], crdFile: URL, sampleFile: URL,
        isSettled: @escaping @Sendable (_ status: JSONValue) -> Bool = { _ in true }
    ) {
        self.name = name
        self.operators = operators
        self.crdFile = crdFile
        self.sampleFile = sampleFile
        self.isSettled = isSettled
    }

    /// The parent type of `object` (by `apiVersion` and `kind`), if one of the operators has it.
    func parentType(of object: JSONValue) -> K8sType? {
        operators.map { $0.config.parent }.first {
            $0.apiVersion == object["apiVersion"]?.stringValue && $0.kind == object["kind"]?.stringValue
        }
    }

    /// Every child type of every operator, once each, in order.
    var childTypes: [K8sType] {
        var seen: [K8sType] = []
        for (config, _) in operators {
            for (type, _) in config.children where !seen.contains(type) { seen.append(type) }
        }
        return seen
    }

    /// The resources a `kubectl get` should list: the parents, then the child types.
    var kubectlResources: String {
        (operators.map { $0.config.parent.plural } + childTypes.map(\.plural)).joined(separator: ",")
    }
}
