/// The logic of an operator: turn a snapshot of a parent and its children into the desired
/// children and the parent's status.
///
/// `sync` never talks to the API server; the runtime watches, diffs and writes. It is called
/// whenever the parent or one of its children changes, and never twice at once for one parent.
///
/// ```swift
/// struct EchoHandler: Handler {
///     func sync(_ request: SyncRequest) async throws -> SyncResponse {
///         let spec = try request.spec(as: EchoSpec.self)
///         var response = SyncResponse(status: ["replicas": .int(Int64(spec.replicas))])
///         try response.add(makeDeployment(for: request.parent, spec: spec))
///         return response
///     }
/// }
/// ```
public protocol Handler: Sendable {
    /// Computes the desired children and status of `request.parent`.
    ///
    /// - Throws: Any error; the runtime then writes nothing (children are kept as they are),
    ///   records a Warning Event on the parent and retries with backoff.
    func sync(_ request: SyncRequest) async throws -> SyncResponse

    /// Cleans up when the parent is being deleted. Called until it returns
    /// ``FinalizeResponse/Outcome/done``, after which the runtime removes its finalizer.
    ///
    /// The default implementation finishes at once and keeps the current status.
    ///
    /// - Throws: Any error; retried with backoff like a failed sync.
    func finalize(_ request: SyncRequest) async throws -> FinalizeResponse
}

extension Handler {
    /// Finishes at once, keeping the parent's current status.
    public func finalize(_ request: SyncRequest) async throws -> FinalizeResponse {
        .done(status: request.parent.status)
    }
}
