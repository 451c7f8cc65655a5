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
///
/// A class, so that it is passed by reference: Swift 6.3.1 on Linux (debug builds) released a
/// large struct passed to `ExampleCommand.main` while it was still in use (see there).
public final class Example: Sendable {
    /// The executable's name, for messages and the kubeconfig file name.
    public let name: String
    /// The operators, run together in one process.
    public let operators: [(config: OperatorConfig, handler: any Handler)]
    /// A YAML file of the parents' CustomResourceDefinitions.
    public let crdFile: URL
    /// A YAML file of sample parents (one or more documents).
    public let sampleFile: URL
    /// Whether a sample parent's status shows the operator has seen its children; until it does
    /// the example is not ready. The default accepts any status.
    public let isSettled: @Sendable (_ status: JSONValue) -> Bool

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

    /// The same example with other operators.
    func with(operators: [(config: OperatorConfig, handler: any Handler)]) -> Example {
        Example(name: name, operators: operators, crdFile: crdFile, sampleFile: sampleFile, isSettled: isSettled)
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
