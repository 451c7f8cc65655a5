import Foundation

/// HTTP basic authentication (kubeconfig `username` and `password`).
public struct BasicAuthProvider: CredentialProvider, CustomStringConvertible, CustomReflectable {
    /// The user name (not secret).
    public let username: String
    private let header: String

    public init(username: String, password: String) {
        self.username = username
        self.header = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    /// `Basic base64(username:password)`.
    public func authorization(refresh: Bool) async throws -> String? {
        header
    }

    public var description: String { "BasicAuthProvider(username: \(username), password: <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["username": username, "password": "<redacted>"]) }
}
