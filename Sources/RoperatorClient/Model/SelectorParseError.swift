/// A label or field selector that could not be parsed or built: the selector text, where the problem
/// is and what it is.
///
/// ```
/// invalid label selector "app in (web": at position 11: expected ',' or ')'
/// ```
public struct SelectorParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which kind of selector failed.
    public enum Kind: String, Sendable, Hashable {
        case label
        case field
    }

    /// Whether a label or a field selector failed.
    public let kind: Kind
    /// The selector as given (for selectors built from JSON, its canonical rendering so far).
    public let selector: String
    /// Zero-based character offset of the problem in ``selector``; `nil` when the problem is not
    /// tied to a position (selectors built from the JSON form).
    public let position: Int?
    /// What was wrong.
    public let reason: String

    public init(kind: Kind, selector: String, position: Int?, reason: String) {
        self.kind = kind
        self.selector = selector
        self.position = position
        self.reason = reason
    }

    public var description: String {
        var text = "invalid \(kind.rawValue) selector \"\(selector)\""
        if let position { text += ": at position \(position)" }
        return text + ": " + reason
    }
}
