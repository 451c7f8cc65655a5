/// A fixed bearer token (kubeconfig `token`).
///
/// ```swift
/// let configuration = ClientConfiguration(server: "https://127.0.0.1:6443", credentials: StaticTokenProvider(token: token))
/// ```
public struct StaticTokenProvider: CredentialProvider, CustomStringConvertible, CustomReflectable {
    private let token: String

    public init(token: String) {
        self.token = token
    }

    /// `Bearer <token>`; `refresh` changes nothing, since there is nothing to re-read.
    public func authorization(refresh: Bool) async throws -> String? {
        "Bearer " + token
    }

    public var description: String { "StaticTokenProvider(token: <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["token": "<redacted>"]) }
}
