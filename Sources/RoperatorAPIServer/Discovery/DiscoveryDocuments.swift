import RoperatorClient

/// The discovery documents, legacy and aggregated, built from what the registry serves.
struct DiscoveryDocuments: Sendable {
    let registry: ResourceRegistry

    // MARK: Legacy

    /// `/api`: the core group's versions.
    ///
    /// - Parameter serverAddress: `host:port` advertised in `serverAddressByClientCIDRs`.
    func apiVersions(serverAddress: String) -> JSONValue {
        [
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    /// `/apis`: every named group with its versions.
    func apiGroupList() -> JSONValue {
        [
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": .array(registry.groups().filter { !$0.name.isEmpty }.map { apiGroup($0) }),
        ]
    }

    /// `/apis/<group>`, or `nil` when the group is not served.
    func apiGroup(named name: String) -> JSONValue? {
        guard let group = registry.groups().first(where: { $0.name == name && !name.isEmpty }) else { return nil }
        var document = apiGroup(group)
        document["kind"] = "APIGroup"
        document["apiVersion"] = "v1"
        return document
    }

    private func apiGroup(_ group: APIGroupInfo) -> JSONValue {
        func groupVersion(_ version: String) -> JSONValue {
            ["groupVersion": .string("\(group.name)/\(version)"), "version": .string(version)]
        }
        return [
            "name": .string(group.name),
            "versions": .array(group.versions.map(groupVersion)),
            "preferredVersion": groupVersion(group.preferredVersion),
        ]
    }

    /// `/api/v1` or `/apis/<group>/<version>`: the APIResourceList, `nil` when not served.
    func apiResourceList(group: String, version: String) -> JSONValue? {
        guard let resources = registry.resources(group: group, version: version) else { return nil }
        var entries: [JSONValue] = []
        for info in resources {
            var entry: JSONValue = [
                "name": .string(info.plural),
                "singularName": .string(info.singular),
                "namespaced": .bool(info.namespaced),
                "kind": .string(info.kind),
                "verbs": .array(info.verbs.map { .string($0) }),
            ]
            if !info.shortNames.isEmpty { entry["shortNames"] = .array(info.shortNames.map { .string($0) }) }
            if !info.categories.isEmpty { entry["categories"] = .array(info.categories.map { .string($0) }) }
            entry["storageVersionHash"] = .string(Self.storageVersionHash(info))
            entries.append(entry)
            if info.hasStatus {
                entries.append([
                    "name": .string("\(info.plural)/status"),
                    "singularName": "",
                    "namespaced": .bool(info.namespaced),
                    "kind": .string(info.kind),
                    "verbs": ["get", "patch", "update"],
                ])
            }
            if info.scale != nil {
                entries.append([
                    "name": .string("\(info.plural)/scale"),
                    "singularName": "",
                    "namespaced": .bool(info.namespaced),
                    "group": "autoscaling",
                    "version": "v1",
                    "kind": "Scale",
                    "verbs": ["get", "patch", "update"],
                ])
            }
        }
        return [
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
            "resources": .array(entries),
        ]
    }

    // MARK: Aggregated

    /// The aggregated `APIGroupDiscoveryList` for `/api` (core only) or `/apis` (named groups),
    /// in the dialect the client asked for.
    func aggregated(core: Bool, version: AggregatedDiscoveryVersion) -> JSONValue {
        let resources = registry.allResources()
        var items: [JSONValue] = []
        for group in registry.groups() where group.name.isEmpty == core {
            var versions: [JSONValue] = []
            for v in group.versions {
                let served = resources.filter { $0.group == group.name && $0.version == v }
                versions.append([
                    "version": .string(v),
                    "resources": .array(served.map(aggregatedResource)),
                    "freshness": "Current",
                ])
            }
            var metadata: JSONValue = ["creationTimestamp": .null]
            if !core { metadata["name"] = .string(group.name) }
            items.append(["metadata": metadata, "versions": .array(versions)])
        }
        return [
            "kind": "APIGroupDiscoveryList",
            "apiVersion": .string("apidiscovery.k8s.io/\(version.rawValue)"),
            "metadata": .emptyObject,
            "items": .array(items),
        ]
    }

    private func aggregatedResource(_ info: ResourceInfo) -> JSONValue {
        let kind: JSONValue = ["group": .string(info.group), "version": .string(info.version), "kind": .string(info.kind)]
        var entry: JSONValue = [
            "resource": .string(info.plural),
            "responseKind": kind,
            "scope": info.namespaced ? "Namespaced" : "Cluster",
            "singularResource": .string(info.singular),
            "verbs": .array(info.verbs.map { .string($0) }),
        ]
        if !info.shortNames.isEmpty { entry["shortNames"] = .array(info.shortNames.map { .string($0) }) }
        if !info.categories.isEmpty { entry["categories"] = .array(info.categories.map { .string($0) }) }
        var subresources: [JSONValue] = []
        if info.hasStatus {
            subresources.append(["subresource": "status", "responseKind": kind, "verbs": ["get", "patch", "update"]])
        }
        if info.scale != nil {
            subresources.append([
                "subresource": "scale",
                "responseKind": ["group": "autoscaling", "version": "v1", "kind": "Scale"],
                "verbs": ["get", "patch", "update"],
            ])
        }
        if !subresources.isEmpty { entry["subresources"] = .array(subresources) }
        return entry
    }

    /// A stable short hash of group, version and kind, standing in for the real storage version hash.
    static func storageVersionHash(_ info: ResourceInfo) -> String {
        let hash = FNV1a.hash("\(info.group)/\(info.version)/\(info.kind)")
        return String(String(hash, radix: 36).prefix(11))
    }
}

/// The versions of aggregated discovery a client may ask for.
enum AggregatedDiscoveryVersion: String, Sendable {
    case v2
    case v2beta1

    /// The Content-Type of an answer in this version.
    var contentType: String {
        "application/json;g=apidiscovery.k8s.io;v=\(rawValue);as=APIGroupDiscoveryList"
    }

    /// The first aggregated version named in an `Accept` header, in the client's order; `nil`
    /// when the client asked for none (then it gets the legacy documents). Answering with a version
    /// the client did not ask for breaks kubectl 1.27–1.29, which only know v2beta1.
    init?(accept: String?) {
        guard let accept else { return nil }
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { String($0).trimmingSpaces() }
            guard parts.first?.lowercased() == "application/json" else { continue }
            var parameters: [String: String] = [:]
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
                if pair.count == 2 { parameters[pair[0].lowercased()] = pair[1] }
            }
            guard parameters["g"] == "apidiscovery.k8s.io", parameters["as"] == "APIGroupDiscoveryList",
                let version = parameters["v"].flatMap(AggregatedDiscoveryVersion.init(rawValue:))
            else { continue }
            self = version
            return
        }
        return nil
    }
}

/// 64-bit FNV-1a: a fast, stable, non-cryptographic hash for ETags and cache keys.
enum FNV1a {
    static func hash(_ text: String) -> UInt64 {
        hash(text.utf8)
    }

    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x100_0000_01b3
        }
        return value
    }
}
