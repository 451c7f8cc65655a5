/// Converting between `JSONValue` and a `Codable` type failed.
///
/// Carries the underlying `DecodingError`/`EncodingError` so the failing field is not lost.
public struct CodingFailure: Error, Sendable, CustomStringConvertible {
    /// Direction of the failed conversion.
    public enum Operation: Sendable, Hashable {
        /// `decoding`: JSON to a `Decodable` type; `encoding`: an `Encodable` value to JSON.
        case decoding, encoding
    }

    /// Decoding or encoding.
    public let operation: Operation
    /// What was being converted, e.g. `spec of parent default/web`.
    public let what: String
    /// The error thrown by the coder.
    public let underlying: any Error

    /// - Parameters:
    ///   - operation: Decoding or encoding.
    ///   - what: What was converted.
    ///   - underlying: The coder's error.
    public init(operation: Operation, what: String, underlying: any Error) {
        self.operation = operation
        self.what = what
        self.underlying = underlying
    }

    /// A readable message with the coder's error.
    public var description: String {
        "\(operation == .decoding ? "decoding" : "encoding") \(what) failed: \(underlying)"
    }
}
