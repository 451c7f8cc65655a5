/// A custom resource described in Swift, from which Roperator derives the
/// `CustomResourceDefinition` (see ``customResourceDefinition()``).
///
/// The spec and status are ordinary `Codable` structs; their schema comes from their `Decodable`
/// conformance (``SchemaDeriver``), refined by ``SchemaAnnotated`` for descriptions and validation.
///
/// ```swift
/// struct EchoServerResource: CustomResource {
///     static let group = "example.roperator.io", version = "v1alpha1", kind = "EchoServer"
///     static let plural = "echoservers", namespaced = true
///     static let printerColumns = [PrinterColumn(name: "Service", type: .string, jsonPath: ".spec.serviceName")]
///     var metadata: JSONValue?
///     var spec: EchoServerSpec
///     var status: EchoServerStatus?
/// }
/// print(try EchoServerResource.customResourceDefinitionYAML())
/// ```
public protocol CustomResource: K8sResource {
    /// The type of `spec`.
    associatedtype Spec: Decodable
    /// The type of `status`; ``NoStatus`` when the resource has none.
    associatedtype Status: Decodable = NoStatus

    /// Short names for kubectl, e.g. `["es"]`. Default none.
    static var shortNames: [String] { get }
    /// Categories, e.g. `["all"]`. Default none.
    static var categories: [String] { get }
    /// Extra columns for `kubectl get`. Default none.
    static var printerColumns: [PrinterColumn] { get }
    /// The scale subresource, when the resource can be scaled. Default none.
    static var scale: ScaleSubresource? { get }
    /// A description of the whole resource for the schema's root. Default none.
    static var resourceDescription: String? { get }
    /// Whether the status schema also declares the fields Roperator writes itself
    /// (`observedGeneration` and `conditions`), so the API server does not prune them. Default `true`.
    static var includesRoperatorStatusFields: Bool { get }
}

extension CustomResource {
    public static var shortNames: [String] { [] }
    public static var categories: [String] { [] }
    public static var printerColumns: [PrinterColumn] { [] }
    public static var scale: ScaleSubresource? { nil }
    public static var resourceDescription: String? { nil }
    public static var includesRoperatorStatusFields: Bool { true }

    /// `<plural>.<group>`, the definition's name.
    public static var definitionName: String { "\(plural).\(group)" }
}

/// The ``CustomResource/Status`` of a resource without a status: no status subresource is declared.
public struct NoStatus: Codable, Sendable, Hashable {
    public init() {}
}
