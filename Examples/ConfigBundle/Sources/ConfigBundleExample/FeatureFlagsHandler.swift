public import Roperator

/// The FeatureFlags logic: one ConfigMap key per flag, `"true"` or `"false"`.
public struct FeatureFlagsHandler: Handler {
    public init() {}

    /// Returns the flags ConfigMap and the status.
    ///
    /// - Throws: ``CodingFailure`` when the spec does not decode.
    public func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let spec = try request.spec(as: FeatureFlagsSpec.self)
        let name = FeatureFlags.configMapName(for: request.parent.name ?? "")
        let enabled = spec.flags.filter(\.value).keys.sorted()
        let message = "\(enabled.count) of \(spec.flags.count) flags on\(enabled.isEmpty ? "" : ": " + enabled.joined(separator: ", "))"
        var response = try SyncResponse(status: FeatureFlagsStatus(configMap: name, enabled: enabled, message: message))
        response.add(
            [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": .string(name)],
                "data": .object(spec.flags.mapValues { .string($0 ? "true" : "false") }),
            ] as JSONValue)
        return response
    }
}
