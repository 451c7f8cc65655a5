/// A credential provider could not produce credentials. The message says which provider and why
/// (for exec plugins, the exit status and stderr) and never contains a token, password or key.
public struct CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which provider failed, e.g. `token file "/var/run/…/token"` or `exec plugin "aws"`.
    public let source: String
    /// What went wrong.
    public let reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}
