package import RoperatorClient

/// The resource types the embedded API server serves: the built-in kinds plus every registered
/// CustomResourceDefinition's served versions.
///
/// Thread-safe; the HTTP layer reads it for routing and discovery while the store registers CRDs.
///
/// ```swift
/// let registry = ResourceRegistry()
/// let pods = registry.lookup(group: "", version: "v1", plural: "pods")
/// ```
package final class ResourceRegistry: Sendable {
    private struct State {
        var builtIn: [ResourceInfo]
        /// CRD name → the versions it serves.
        var custom: [String: [ResourceInfo]] = [:]
        /// Incremented on every change, so that discovery documents can be cached.
        var changeCount = 0
        var byPlural: [Key: ResourceInfo] = [:]
        var byKind: [Key: ResourceInfo] = [:]

        mutating func reindex() {
            byPlural = [:]
            byKind = [:]
            for info in builtIn + custom.values.flatMap({ $0 }) {
                byPlural[Key(group: info.group, version: info.version, name: info.plural)] = info
                byKind[Key(group: info.group, version: info.version, name: info.kind)] = info
            }
            changeCount += 1
        }
    }

    private struct Key: Hashable {
        var group: String
        var version: String
        var name: String
    }

    private let state: Lock<State>

    /// A registry serving the built-in kinds.
    package init() {
        var s = State(builtIn: Self.builtInResources)
        s.reindex()
        state = Lock(s)
    }

    /// Incremented whenever the set of served resources changes.
    package var changeCount: Int { state.withLock { $0.changeCount } }

    /// Every served resource at every version: built-ins first, then custom resources by group.
    package func allResources() -> [ResourceInfo] {
        state.withLock { s in
            s.builtIn + s.custom.keys.sorted().flatMap { s.custom[$0]! }
        }
    }

    /// The served groups (core group named `""` included), versions in preference order.
    package func groups() -> [APIGroupInfo] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for info in allResources() {
            if versions[info.group] == nil {
                order.append(info.group)
                versions[info.group] = []
            }
            if !versions[info.group]!.contains(info.version) { versions[info.group]!.append(info.version) }
        }
        return order.map { APIGroupInfo(name: $0, versions: versions[$0]!.sorted(by: Self.versionPrecedes)) }
    }

    /// The resources served at one group-version, `nil` when the group-version is not served.
    package func resources(group: String, version: String) -> [ResourceInfo]? {
        let found = allResources().filter { $0.group == group && $0.version == version }
        return found.isEmpty ? nil : found
    }

    /// The resource with this plural at a group-version.
    package func lookup(group: String, version: String, plural: String) -> ResourceInfo? {
        state.withLock { $0.byPlural[Key(group: group, version: version, name: plural)] }
    }

    /// The resource with this kind at a group-version.
    package func lookup(group: String, version: String, kind: String) -> ResourceInfo? {
        state.withLock { $0.byKind[Key(group: group, version: version, name: kind)] }
    }

    /// The resource of an object's `apiVersion` and `kind`.
    package func lookup(apiVersion: String, kind: String) -> ResourceInfo? {
        let (group, version) = K8sType.split(apiVersion: apiVersion)
        return lookup(group: group, version: version, kind: kind)
    }

    /// Every served version of a group-resource.
    package func versions(of groupResource: GroupResource) -> [ResourceInfo] {
        allResources().filter { $0.groupResource == groupResource }
    }

    /// Serves the versions of a CustomResourceDefinition (replacing what it served before).
    ///
    /// - Returns: the resources now served for it.
    @discardableResult
    package func register(crd: JSONValue) throws(APIError) -> [ResourceInfo] {
        let infos = try Self.resources(fromCRD: crd)
        let name = crd[path: "metadata", "name"]?.stringValue ?? ""
        state.withLock { s in
            s.custom[name] = infos
            s.reindex()
        }
        return infos
    }

    /// Stops serving a CustomResourceDefinition's resources.
    package func unregister(crdName: String) {
        state.withLock { s in
            if s.custom.removeValue(forKey: crdName) != nil { s.reindex() }
        }
    }

    /// Whether a CRD of that name is registered.
    package func isRegistered(crdName: String) -> Bool {
        state.withLock { $0.custom[crdName] != nil }
    }

    /// Validates a CRD and describes the resources it serves.
    ///
    /// - Throws: 422 Invalid naming the offending field.
    package static func resources(fromCRD crd: JSONValue) throws(APIError) -> [ResourceInfo] {
        let name = crd[path: "metadata", "name"]?.stringValue ?? ""
        func invalid(_ field: String, _ message: String) -> APIError {
            .invalid(
                group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", name: name,
                causes: [.init(field: field, message: message)])
        }
        guard let spec = crd["spec"]?.objectValue else { throw invalid("spec", "Required value") }
        guard let group = spec["group"]?.stringValue, !group.isEmpty else {
            throw invalid("spec.group", "Required value")
        }
        let names = spec["names"] ?? .emptyObject
        guard let plural = names["plural"]?.stringValue, !plural.isEmpty else {
            throw invalid("spec.names.plural", "Required value")
        }
        guard let kind = names["kind"]?.stringValue, !kind.isEmpty else {
            throw invalid("spec.names.kind", "Required value")
        }
        guard name == "\(plural).\(group)" else {
            throw invalid("metadata.name", "Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group")
        }
        let scope = spec["scope"]?.stringValue ?? ""
        guard scope == "Namespaced" || scope == "Cluster" else {
            throw invalid("spec.scope", "Unsupported value: \"\(scope)\": supported values: \"Cluster\", \"Namespaced\"")
        }
        guard let versions = spec["versions"]?.arrayValue, !versions.isEmpty else {
            throw invalid("spec.versions", "Invalid value: null: must have exactly one version marked as storage version")
        }
        let storageCount = versions.filter { $0["storage"]?.boolValue == true }.count
        guard storageCount == 1 else {
            throw invalid("spec.versions", "Invalid value: must have exactly one version marked as storage version")
        }
        let singular = names["singular"]?.stringValue ?? kind.lowercased()
        let shortNames = names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let categories = names["categories"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let listKind = names["listKind"]?.stringValue
        var result: [ResourceInfo] = []
        for v in versions {
            guard let version = v["name"]?.stringValue, !version.isEmpty else {
                throw invalid("spec.versions[].name", "Required value")
            }
            guard v["served"]?.boolValue == true else { continue }
            let subresources = v["subresources"] ?? spec["subresources"]
            let schema = v[path: "schema", "openAPIV3Schema"] ?? crd[path: "spec", "validation", "openAPIV3Schema"]
            result.append(
                ResourceInfo(
                    group: group, version: version, kind: kind, plural: plural, singular: singular,
                    shortNames: shortNames, categories: categories, namespaced: scope == "Namespaced",
                    hasStatus: subresources?["status"] != nil, isCustom: true, schema: schema,
                    listKind: listKind, isStorageVersion: v["storage"]?.boolValue == true,
                    scale: subresources?["scale"].flatMap(ScalePaths.init(crd:))))
        }
        result.sort { versionPrecedes($0.version, $1.version) }
        return result
    }

    /// Kubernetes version priority: GA before beta before alpha, higher numbers first, others last
    /// in alphabetical order.
    package static func versionPrecedes(_ a: String, _ b: String) -> Bool {
        func parse(_ v: String) -> (rank: Int, major: Int, minor: Int)? {
            guard v.hasPrefix("v") else { return nil }
            let rest = v.dropFirst()
            let digits = rest.prefix(while: \.isNumber)
            guard let major = Int(digits) else { return nil }
            let tail = rest.dropFirst(digits.count)
            if tail.isEmpty { return (3, major, 0) }
            for (label, rank) in [("beta", 2), ("alpha", 1)] where tail.hasPrefix(label) {
                guard let minor = Int(tail.dropFirst(label.count)) else { return nil }
                return (rank, major, minor)
            }
            return nil
        }
        switch (parse(a), parse(b)) {
        case (let pa?, let pb?):
            if pa.rank != pb.rank { return pa.rank > pb.rank }
            if pa.major != pb.major { return pa.major > pb.major }
            return pa.minor > pb.minor
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }
}
