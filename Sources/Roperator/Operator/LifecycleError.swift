/// A misuse of an ``Operator``'s or ``OperatorGroup``'s lifecycle, refused before anything ran.
public struct LifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum _Code: Sendable, Hashable {
        case alreadyRunning, addWhileRunning
    }

    /// What was refused.
    public struct Code: Sendable, Hashable {
        fileprivate let code: _Code
        /// `run()` was called while a run of the same operator or group (or of a group it belongs
        /// to) had not ended. A run may start again once the previous one returned.
        public static let alreadyRunning = Code(code: .alreadyRunning)
        /// ``OperatorGroup/add(_:handler:)`` was called while the group runs; add every operator
        /// before ``OperatorGroup/run()`` (or after it returned).
        public static let addWhileRunning = Code(code: .addWhileRunning)
    }

    /// What was refused.
    public let code: Code
    /// Details naming the operator or group.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
