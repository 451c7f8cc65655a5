/// A JSON patch that is malformed or cannot be applied, naming the failing operation.
public struct JSONPatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. New codes may be added, so switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum _Code: Hashable { case invalidOperation, pathNotFound, invalidPath, testFailed }
        private let code: _Code

        /// The operation object is malformed (missing `op`/`path`/`value`/`from`, bad pointer).
        public static let invalidOperation = Code(code: .invalidOperation)
        /// `path` or `from` does not resolve in the document.
        public static let pathNotFound = Code(code: .pathNotFound)
        /// The location cannot be used, e.g. an array index out of range or a move into a child of itself.
        public static let invalidPath = Code(code: .invalidPath)
        /// A `test` operation found a different value.
        public static let testFailed = Code(code: .testFailed)

        public var description: String {
            switch code {
            case .invalidOperation: "invalid operation"
            case .pathNotFound: "path not found"
            case .invalidPath: "invalid path"
            case .testFailed: "test failed"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// The position of the failing operation in the patch, from 0.
    public let operationIndex: Int
    /// The `path` of the failing operation, in its textual form.
    public let path: String
    /// The details.
    public let message: String

    /// Creates an error for the operation at `operationIndex`, whose `path` is reported.
    public init(code: Code, operationIndex: Int, path: String, message: String) {
        self.code = code
        self.operationIndex = operationIndex
        self.path = path
        self.message = message
    }

    public var description: String {
        "JSON patch operation \(operationIndex) at \"\(path)\": \(code): \(message)"
    }
}
