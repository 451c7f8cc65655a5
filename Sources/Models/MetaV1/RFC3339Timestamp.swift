public import Foundation

/// What ``Time`` and ``MicroTime`` share: RFC 3339 text kept verbatim, its instant, JSON as a
/// string, and ordering by instant.
public protocol RFC3339Timestamp: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The RFC 3339 text, exactly as decoded or formatted.
    var text: String { get }
    /// The instant, or `nil` when ``text`` is not RFC 3339 (it is still kept and re-encoded).
    var date: Date? { get }
    /// A time from RFC 3339 text, kept verbatim.
    init(_ text: String)
}

extension RFC3339Timestamp {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    public var description: String { text }

    /// Ordered by instant; text that is not RFC 3339 sorts first, by text.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        switch (lhs.date, rhs.date) {
        case (let l?, let r?): return l < r
        case (nil, _?): return true
        case (_?, nil): return false
        case (nil, nil): return lhs.text < rhs.text
        }
    }
}
