/// A `meta.k8s.io` Table asked for in the Accept header, as `kubectl get` does:
/// `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`.
struct TableFormat: Sendable, Hashable {
    /// `v1` or `v1beta1`.
    let version: String

    /// The first Table media range of `accept` the server can produce; `nil` when the client did not
    /// ask for one before (or instead of) plain JSON.
    init?(accept: String?) {
        guard let accept else { return nil }
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { String($0).trimmingSpaces() }
            guard let mediaType = parts.first?.lowercased() else { continue }
            var parameters: [String: String] = [:]
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { parameters[pair[0].lowercased()] = pair[1] }
            }
            guard parameters["as"] == "Table" else {
                // A plain JSON range first means the client prefers the plain answer.
                if mediaType == "application/json" || mediaType == "*/*" { return nil }
                continue
            }
            guard mediaType == "application/json", parameters["g"] == "meta.k8s.io",
                let version = parameters["v"], version == "v1" || version == "v1beta1"
            else { continue }
            self.version = version
            return
        }
        return nil
    }

    /// `meta.k8s.io/v1`.
    var apiVersion: String { "meta.k8s.io/\(version)" }

    /// The Content-Type of the answer.
    var contentType: String { "application/json;as=Table;v=\(version);g=meta.k8s.io" }
}
