/// Why a string is not a quantity.
public struct QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text that failed to parse.
    public let text: String
    /// What is wrong with it.
    public let reason: String

    public var description: String { "quantity \"\(text)\" \(reason)" }
}
