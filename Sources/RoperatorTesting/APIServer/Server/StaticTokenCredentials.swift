public import RoperatorClient

/// A fixed bearer token, as the embedded server hands out in ``EmbeddedAPIServer/clientConfiguration``.
public struct StaticTokenCredentials: CredentialProvider {
    /// The token sent as `Authorization: Bearer <token>`.
    public var token: String

    /// - Parameter token: the bearer token.
    public init(token: String) {
        self.token = token
    }

    public func authorization(refresh: Bool) async throws -> String? {
        "Bearer \(token)"
    }
}
