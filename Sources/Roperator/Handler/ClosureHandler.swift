/// A ``Handler`` made of closures, for operators that do not need their own type.
///
/// ```swift
/// let handler: some Handler = .sync { request in
///     SyncResponse(status: ["seen": true])
/// }
/// ```
public struct ClosureHandler: Handler {
    /// The sync closure.
    public let syncBody: @Sendable (SyncRequest) async throws -> SyncResponse
    /// The finalize closure; `nil` uses the default (done at once).
    public let finalizeBody: (@Sendable (SyncRequest) async throws -> FinalizeResponse)?

    /// - Parameters:
    ///   - sync: Called for ``Handler/sync(_:)``.
    ///   - finalize: Called for ``Handler/finalize(_:)``; default `nil` finishes at once.
    public init(
        sync: @escaping @Sendable (SyncRequest) async throws -> SyncResponse,
        finalize: (@Sendable (SyncRequest) async throws -> FinalizeResponse)? = nil
    ) {
        self.syncBody = sync
        self.finalizeBody = finalize
    }

    /// Calls ``syncBody``.
    public func sync(_ request: SyncRequest) async throws -> SyncResponse {
        try await syncBody(request)
    }

    /// Calls ``finalizeBody``, or finishes at once when there is none.
    public func finalize(_ request: SyncRequest) async throws -> FinalizeResponse {
        guard let finalizeBody else { return .done(status: request.parent.status) }
        return try await finalizeBody(request)
    }
}

extension Handler where Self == ClosureHandler {
    /// A handler whose `sync` is `body`, for passing where `some Handler` is expected.
    ///
    /// ```swift
    /// try await runOperator(config, ClosureHandler.sync { request in SyncResponse() })
    /// ```
    ///
    /// When passing it straight to a generic `some Handler` parameter, spell out
    /// `ClosureHandler.sync`: with the leading-dot form (`.sync { ... }`) the compiler does not
    /// infer the closure as `@Sendable` and reports a data-race error.
    public static func sync(
        _ body: @escaping @Sendable (SyncRequest) async throws -> SyncResponse
    ) -> ClosureHandler {
        ClosureHandler(sync: body)
    }

    /// A handler with both a `sync` and a `finalize` closure.
    public static func sync(
        _ body: @escaping @Sendable (SyncRequest) async throws -> SyncResponse,
        finalize: @escaping @Sendable (SyncRequest) async throws -> FinalizeResponse
    ) -> ClosureHandler {
        ClosureHandler(sync: body, finalize: finalize)
    }
}
