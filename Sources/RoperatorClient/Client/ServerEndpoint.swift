/// The parts of `ClientConfiguration.server` the client needs: scheme, host, port and path prefix.
struct ServerEndpoint: Sendable, Hashable {
    var scheme: String
    /// Host without IPv6 brackets.
    var host: String
    var port: Int?
    /// Path prefix (a server behind a proxy), without a trailing slash; usually empty.
    var pathPrefix: String

    var isTLS: Bool { scheme == "https" }

    init(_ server: String) throws {
        let parts = server.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw KubeClientError(.invalidConfiguration, "server URL \"\(server)\" has no scheme")
        }
        scheme = parts[0].lowercased()
        guard scheme == "https" || scheme == "http" else {
            throw KubeClientError(.invalidConfiguration, "server URL \"\(server)\" is neither http nor https")
        }
        let rest = parts[1]
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        pathPrefix = path
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw KubeClientError(.invalidConfiguration, "server URL \"\(server)\" has an unclosed IPv6 address")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]) else {
                throw KubeClientError(.invalidConfiguration, "server URL \"\(server)\" has an invalid port")
            }
            port = p
        } else {
            host = String(authority)
            port = nil
        }
        guard !host.isEmpty else { throw KubeClientError(.invalidConfiguration, "server URL \"\(server)\" has no host") }
    }

    func url(host: String) -> String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(h)\(port.map { ":\($0)" } ?? "")\(pathPrefix)"
    }
}
