public import Roperator

/// The ConfigBundle logic: apply `spec.data` to a ConfigMap and report which keys are the
/// bundle's and which belong to other field managers.
///
/// Because the ConfigMap is written with server-side apply, the operator owns only the keys it
/// sends: a key another manager adds (say with `kubectl patch`) stays, and a key dropped from the
/// spec is removed.
public struct ConfigBundleHandler: Handler {
    public init() {}

    /// Returns the ConfigMap (only the fields the operator owns) and the status.
    ///
    /// - Throws: ``CodingFailure`` when the spec does not decode.
    public func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let spec = try request.spec(as: ConfigBundleSpec.self)
        let name = spec.configMapName ?? request.parent.name ?? ""
        let observed = request.child(of: .configMap, named: name)?.json["data"]?.objectValue ?? [:]
        let others = observed.keys.filter { spec.data[$0] == nil }.sorted()
        var message = "ConfigMap \(name) has \(spec.data.count) key\(spec.data.count == 1 ? "" : "s") from this bundle"
        if !others.isEmpty { message += " and \(others.count) from other managers" }
        var response = try SyncResponse(
            status: ConfigBundleStatus(
                configMap: name, appliedKeys: spec.data.count, otherKeys: others, message: message))
        response.add(
            [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": .string(name)],
                "data": .object(spec.data.mapValues { .string($0) }),
            ] as JSONValue)
        return response
    }
}
