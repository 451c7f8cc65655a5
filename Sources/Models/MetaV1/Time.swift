public import Foundation
import RoperatorClient

/// `metav1.Time`: an RFC 3339 timestamp with whole seconds, as Kubernetes writes it
/// (`2026-12-04T17:25:00Z`).
///
/// The text is kept exactly as decoded and encoded back unchanged, so a typed round trip never
/// rewrites a time. Values made from a `Date` are formatted as Kubernetes formats them: UTC, whole
/// seconds (the fraction is dropped).
public struct Time: RFC3339Timestamp {
    /// The RFC 3339 text.
    public let text: String
    /// The instant, or `nil` when ``text`` is not RFC 3339 (it is still kept and re-encoded).
    public let date: Date?

    /// A time from RFC 3339 text, kept verbatim.
    public init(_ text: String) {
        self.text = text
        self.date = RFC3339.parse(text)
    }

    /// A time at `date`, truncated to whole seconds, formatted in UTC.
    public init(_ date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        self.init(RFC3339.format(Date(timeIntervalSince1970: seconds)))
    }

    /// The current time, truncated to whole seconds.
    public static func now() -> Time { Time(Date()) }
}
