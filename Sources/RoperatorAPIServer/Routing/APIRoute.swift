/// Where a request path leads, before the registry is consulted.
enum APIRoute: Sendable, Equatable {
    case version
    case health(String)
    /// `/metrics`: request counts as Prometheus text.
    case metrics
    /// `/api`
    case coreVersions
    /// `/apis`
    case groupList
    /// `/apis/<group>`
    case group(String)
    /// `/api/v1`, `/apis/<group>/<version>`
    case resourceList(group: String, version: String)
    /// Anything below a group-version.
    case resource(ResourcePath)
    /// `/openapi/v3`
    case openAPIRoot
    /// `/openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>`
    case openAPIDocument(group: String, version: String)
    /// `/openapi/v2`
    case openAPIV2
    case notFound

    /// Parses a raw (percent-encoded) request path.
    init(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(QueryParameters.decodePathSegment)
        guard let first = segments.first else {
            self = .notFound
            return
        }
        switch first {
        case "version" where segments.count == 1:
            self = .version
        case "metrics" where segments.count == 1:
            self = .metrics
        case "healthz", "livez", "readyz":
            self = segments.count <= 2 ? .health(first) : .notFound
        case "openapi":
            if segments.count == 2 && segments[1] == "v2" {
                self = .openAPIV2
            } else if segments.count == 2 && segments[1] == "v3" {
                self = .openAPIRoot
            } else if segments.count == 5 && segments[1] == "v3" && segments[2] == "apis" {
                self = .openAPIDocument(group: segments[3], version: segments[4])
            } else if segments.count == 4 && segments[1] == "v3" && segments[2] == "api" {
                self = .openAPIDocument(group: "", version: segments[3])
            } else {
                self = .notFound
            }
        case "api":
            switch segments.count {
            case 1: self = .coreVersions
            case 2: self = .resourceList(group: "", version: segments[1])
            default: self = ResourcePath(group: "", version: segments[1], rest: segments.dropFirst(2)).map(APIRoute.resource) ?? .notFound
            }
        case "apis":
            switch segments.count {
            case 1: self = .groupList
            case 2: self = .group(segments[1])
            case 3: self = .resourceList(group: segments[1], version: segments[2])
            default:
                self =
                    ResourcePath(group: segments[1], version: segments[2], rest: segments.dropFirst(3)).map(APIRoute.resource) ?? .notFound
            }
        default:
            self = .notFound
        }
    }
}

/// A path below a group-version: `[watch/][namespaces/<ns>/]<plural>[/<name>[/<subresource>]]`.
struct ResourcePath: Sendable, Equatable {
    var group: String
    var version: String
    var plural: String
    var namespace: String?
    var name: String?
    var subresource: String?
    /// Reached through the deprecated `/watch/` prefix.
    var legacyWatch: Bool

    init(
        group: String, version: String, plural: String, namespace: String? = nil, name: String? = nil, subresource: String? = nil,
        legacyWatch: Bool = false
    ) {
        self.group = group
        self.version = version
        self.plural = plural
        self.namespace = namespace
        self.name = name
        self.subresource = subresource
        self.legacyWatch = legacyWatch
    }

    init?(group: String, version: String, rest: ArraySlice<String>) {
        var rest = rest
        var legacyWatch = false
        if rest.first == "watch" {
            legacyWatch = true
            rest = rest.dropFirst()
        }
        var namespace: String?
        // `namespaces/<ns>/<plural>...` is a namespaced resource, except in the core group, where
        // `namespaces/<name>` and `namespaces/<name>/{status,finalize}` address the Namespace itself.
        if rest.count >= 3, rest.first == "namespaces" {
            let third = rest[rest.startIndex + 2]
            let isNamespaceSubresource = group.isEmpty && rest.count == 3 && (third == "status" || third == "finalize")
            if !isNamespaceSubresource {
                namespace = rest[rest.startIndex + 1]
                rest = rest.dropFirst(2)
            }
        }
        guard (1...3).contains(rest.count) else { return nil }
        let parts = Array(rest)
        self.init(
            group: group, version: version, plural: parts[0], namespace: namespace,
            name: parts.count > 1 ? parts[1] : nil, subresource: parts.count > 2 ? parts[2] : nil,
            legacyWatch: legacyWatch)
    }
}
