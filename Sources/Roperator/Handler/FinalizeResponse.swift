public import RoperatorClient

/// The result of ``Handler/finalize(_:)``: the status to write and whether cleanup is finished.
///
/// ```swift
/// return cleanedUp ? .done(status: status) : .retry(after: .seconds(5), status: status)
/// ```
public struct FinalizeResponse: Sendable, Hashable {
    /// Whether finalization is finished.
    public enum Outcome: Sendable, Hashable {
        /// Cleanup is finished; the runtime removes the finalizer and lets the deletion proceed.
        case done
        /// Not finished; call `finalize` again after this delay. The delay is applied once (the
        /// runtime schedules the retry, it does not also wait in line); a change to the parent
        /// or a child in the meantime may call `finalize` earlier.
        case retry(after: Duration)
    }

    /// The parent's status to write; `nil` leaves the status as it is.
    public var status: JSONValue?
    /// Done or retry.
    public var outcome: Outcome

    /// - Parameters:
    ///   - status: Status to write; `nil` leaves it unchanged.
    ///   - outcome: Done or retry.
    public init(status: JSONValue? = nil, outcome: Outcome) {
        self.status = status
        self.outcome = outcome
    }

    /// Finalization finished.
    public static func done(status: JSONValue? = nil) -> FinalizeResponse {
        FinalizeResponse(status: status, outcome: .done)
    }

    /// Not finished yet; try again after `delay`.
    public static func retry(after delay: Duration, status: JSONValue? = nil) -> FinalizeResponse {
        FinalizeResponse(status: status, outcome: .retry(after: delay))
    }

    /// Whether the outcome is ``Outcome/done``.
    public var isDone: Bool { outcome == .done }
}
