import NIOHTTP1

extension HealthServer {
    /// One answer of the health server.
    struct Response: Sendable, Equatable {
        var status: HTTPResponseStatus
        var contentType = "text/plain; charset=utf-8"
        var body: String
    }

    /// The answer to `GET <uri>`, computed from the checks and metrics as they are now.
    ///
    /// - `/healthz` (`/livez`) and `/readyz` run their checks: `200 ok` when all pass; otherwise
    ///   `503` listing every check (`[+]name ok`, `[-]name failed: reason`) and
    ///   `<endpoint> check failed`. `?verbose` lists the checks on success too; `?exclude=name`
    ///   (repeatable) skips a check.
    /// - `/healthz/<name>` and `/readyz/<name>` run one check: `200 ok` or `503` with its reason.
    /// - `/metrics` is the Prometheus text.
    func response(to uri: String) -> Response {
        let (path, query) = Self.split(uri)
        if path == "/metrics" {
            return Response(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics())
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let endpoint = parts.first, parts.count <= 2 else { return Self.notFound }
        let checks: [HealthCheck]
        switch endpoint {
        case "healthz", "livez": checks = liveness
        case "readyz": checks = readiness
        default: return Self.notFound
        }
        if parts.count == 2 {
            guard let check = checks.first(where: { $0.name == parts[1] }) else { return Self.notFound }
            if let failure = check.failure() {
                return Response(status: .serviceUnavailable, body: "internal server error: \(failure)\n")
            }
            return Response(status: .ok, body: "ok\n")
        }
        let excluded = Set(query.filter { $0.key == "exclude" }.map(\.value))
        let results = checks.filter { !excluded.contains($0.name) }.map { ($0.name, $0.failure()) }
        let passed = results.allSatisfy { $0.1 == nil }
        if passed && !query.contains(where: { $0.key == "verbose" }) { return Response(status: .ok, body: "ok\n") }
        var lines = results.map { name, failure in failure.map { "[-]\(name) failed: \($0)" } ?? "[+]\(name) ok" }
        lines += checks.filter { excluded.contains($0.name) }.map { "[+]\($0.name) excluded: ok" }
        lines.append("\(endpoint) check \(passed ? "passed" : "failed")")
        return Response(status: passed ? .ok : .serviceUnavailable, body: lines.joined(separator: "\n") + "\n")
    }

    static let notFound = Response(status: .notFound, body: "404 page not found\n")

    /// The path and the query's `key=value` pairs (a key alone has an empty value); no percent-decoding,
    /// as check names are plain words.
    static func split(_ uri: String) -> (path: String, query: [(key: String, value: String)]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, []) }
        let query = uri[uri.index(after: mark)...].split(separator: "&").map { pair in
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(halves[0]), halves.count > 1 ? String(halves[1]) : "")
        }
        return (String(uri[..<mark]), query)
    }
}
