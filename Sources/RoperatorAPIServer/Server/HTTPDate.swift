import Foundation
import RoperatorClient

/// Dates as HTTP headers write them, computed by hand because a `Calendar` per response is slow.
enum HTTPDate {
    private static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"] // 1970-01-01 was a Thursday
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The current time in IMF-fixdate form, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    ///
    /// Every response carries one, and the text changes once a second: it is formatted once per second.
    static func now() -> String {
        let seconds = Int64(Date().timeIntervalSince1970)
        if let cached = lastFormatted.withLock({ $0.second == seconds ? $0.text : nil }) { return cached }
        let text = format(secondsSince1970: seconds)
        lastFormatted.withLock { $0 = (seconds, text) }
        return text
    }

    private static let lastFormatted = Lock<(second: Int64, text: String)>((.min, ""))

    static func format(secondsSince1970 seconds: Int64) -> String {
        let dayNumber = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - dayNumber * 86_400
        let (year, month, day) = RFC3339.civil(fromDays: dayNumber)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let weekday = days[Int(((dayNumber % 7) + 7) % 7)]
        return
            "\(weekday), \(two(day)) \(months[Int(month) - 1]) \(year) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) GMT"
    }
}
