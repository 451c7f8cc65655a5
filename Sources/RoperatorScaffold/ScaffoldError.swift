/// A `roperator init` argument that cannot be used, and why.
public struct ScaffoldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The argument, e.g. `--kind`.
    public var argument: String
    /// The value given.
    public var value: String
    /// What is wrong.
    public var reason: String

    /// - Parameters: see the properties.
    public init(argument: String, value: String, reason: String) {
        self.argument = argument
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(argument) \"\(value)\": \(reason)" }
}
