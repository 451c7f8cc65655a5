import Foundation

/// How an operator executable reports a failure on the command line: `error: <message>` on
/// standard error and a non-zero exit status, as swift-argument-parser commands do.
public enum CommandLineFailure {
    /// Writes `error: <message>` (see ``message(for:)``) to standard error and exits with `status`.
    public static func exit(with error: any Error, status: Int32 = 1) -> Never {
        exit(message: message(for: error), status: status)
    }

    /// Writes `error: <message>` to standard error and exits with `status`.
    public static func exit(message: String, status: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(status)
    }

    /// The sentence to show for `error`: a `LocalizedError`'s `errorDescription`, Foundation's
    /// localized description for its own errors, else the error's `description` (what
    /// `CustomStringConvertible` errors such as `KubeconfigError` and `KubeAPIError` say about
    /// themselves), else Swift's default rendering of the value.
    public static func message(for error: any Error) -> String {
        let text: String
        if let localized = error as? any LocalizedError, let description = localized.errorDescription {
            text = description
        } else if let cocoa = error as? CocoaError {
            text = cocoa.localizedDescription
        } else if error is CancellationError {
            text = "cancelled"
        } else {
            text = String(describing: error)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
