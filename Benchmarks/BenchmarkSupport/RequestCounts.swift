public import RoperatorClient

/// The server's request counters, read from its `/metrics` endpoint (`RequestCounter` in the
/// embedded server), so that a driver in another process sees what the operator asked for.
public struct RequestCounts: Sendable {
    /// Requests answered so far, per verb.
    public var byVerb: [String: Int] = [:]

    public init() {}

    /// Creates, updates, patches and deletes.
    public var writes: Int {
        ["create", "update", "patch", "delete", "deletecollection"].reduce(0) { $0 + (byVerb[$1] ?? 0) }
    }

    public subscript(verb: String) -> Int { byVerb[verb] ?? 0 }

    public static func - (lhs: RequestCounts, rhs: RequestCounts) -> RequestCounts {
        var result = RequestCounts()
        for (verb, count) in lhs.byVerb { result.byVerb[verb] = count - rhs[verb] }
        return result
    }

    /// The verbs with a non-zero count, e.g. `create 40000, patch 20000`.
    public var summary: String {
        ["create", "patch", "update", "delete", "get", "list", "watch"]
            .filter { self[$0] > 0 }
            .map { "\($0) \(self[$0])" }
            .joined(separator: ", ")
    }

    /// Reads the counters through `client`.
    public static func read(_ client: KubeClient) async throws -> RequestCounts {
        let response = try await client.request(method: "GET", path: "/metrics")
        var counts = RequestCounts()
        let prefix = "apiserver_request_total{verb=\""
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") {
            // apiserver_request_total{verb="create"} 42
            guard line.hasPrefix(prefix),
                let quote = line.dropFirst(prefix.count).firstIndex(of: "\""),
                let space = line.lastIndex(of: " "),
                let value = Int(line[line.index(after: space)...])
            else { continue }
            counts.byVerb[String(line[line.index(line.startIndex, offsetBy: prefix.count)..<quote])] = value
        }
        guard !counts.byVerb.isEmpty else {
            throw BenchmarkError("the server's /metrics has no apiserver_request_total lines")
        }
        return counts
    }
}
