/// Who sent a request, as established by ``Authenticator``.
struct AuthenticatedUser: Sendable, Hashable {
    enum Method: Sendable, Hashable {
        case token
        case clientCertificate
    }

    var name: String
    var method: Method
}
