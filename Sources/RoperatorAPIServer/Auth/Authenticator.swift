import NIOHTTP1

/// Decides whether a request may proceed: with authentication on, it needs a client certificate that
/// the TLS layer verified against the server's CA or a known bearer token (checked in that order,
/// like the real server's union of authenticators).
struct Authenticator: Sendable {
    /// Off: every request is let through as nobody.
    var isEnabled: Bool
    /// Accepted bearer tokens and the user each stands for.
    var tokens: [String: String]
    /// The user name a verified client certificate stands for.
    var certificateUser: String = "roperator-admin"
    /// Groups per user name, beyond `system:authenticated` (the generated client certificate's
    /// user is in `system:masters`, as its subject's organization says).
    var userGroups: [String: [String]] = [:]

    /// Paths any caller may reach, so readiness probes work without credentials.
    static let publicPaths: Set<String> = ["/healthz", "/livez", "/readyz"]

    func authenticate(headers: HTTPHeaders, clientCertificateVerified: Bool, path: String) -> Result<AuthenticatedUser?, APIError> {
        guard isEnabled else { return .success(nil) }
        if clientCertificateVerified {
            return .success(
                AuthenticatedUser(
                    name: certificateUser, method: .clientCertificate,
                    groups: userGroups[certificateUser] ?? [Authorizer.mastersGroup]))
        }
        if let authorization = headers.first(name: "authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer",
                let user = tokens[String(parts[1]).trimmingSpaces()]
            {
                return .success(AuthenticatedUser(name: user, method: .token, groups: userGroups[user] ?? []))
            }
        }
        if Self.publicPaths.contains(path) {
            return .success(nil)
        }
        return .failure(.unauthorized)
    }
}
