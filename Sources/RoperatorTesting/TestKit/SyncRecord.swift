public import Roperator

/// What a ``TestKit`` saw of one parent's syncs.
public struct SyncRecord: Sendable {
    /// Calls of `sync`.
    public var syncs = 0
    /// Calls of `sync` that threw.
    public var errors = 0
    /// Calls of `finalize`.
    public var finalizes = 0
    /// The last request passed to `sync` or `finalize`.
    public var lastRequest: SyncRequest?
    /// The last response `sync` returned.
    public var lastResponse: SyncResponse?
    /// The last response `finalize` returned.
    public var lastFinalizeResponse: FinalizeResponse?
    /// The last error `sync` or `finalize` threw.
    public var lastError: (any Error)?

    /// An empty record.
    public init() {}
}
