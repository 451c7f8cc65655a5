public import Foundation
import RoperatorClient

/// `metav1.MicroTime`: an RFC 3339 timestamp with six fractional digits
/// (`2026-12-04T17:25:00.123456Z`), used by Events and Leases.
///
/// Like ``Time``, the text is kept exactly as decoded; values made from a `Date` are formatted as
/// Kubernetes formats them (UTC, microseconds).
public struct MicroTime: RFC3339Timestamp {
    /// The RFC 3339 text.
    public let text: String
    /// The instant, or `nil` when ``text`` is not RFC 3339 (it is still kept and re-encoded).
    public let date: Date?

    /// A time from RFC 3339 text, kept verbatim.
    public init(_ text: String) {
        self.text = text
        self.date = RFC3339.parse(text)
    }

    /// A time at `date` with microsecond precision, formatted in UTC.
    public init(_ date: Date) {
        self.init(RFC3339.formatMicro(date))
    }

    /// The current time.
    public static func now() -> MicroTime { MicroTime(Date()) }
}
