package import Foundation

extension RFC3339 {
    /// `metav1.MicroTime` as the API server writes it: UTC with exactly six fractional digits
    /// (`2006-01-02T15:04:05.000000Z`). A real server parses MicroTime with that exact layout,
    /// so the fraction must be present even when it is zero.
    package static func formatMicro(_ date: Date) -> String {
        let text = format(date)
        guard !text.contains(".") else { return text }
        return String(text.dropLast()) + ".000000Z"
    }
}
