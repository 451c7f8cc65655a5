import NIOHTTP1

/// What authorization decides on, derived from the request alone (before the resource is looked
/// up), as kube-apiserver's `RequestInfo` derives it: a resource request (verb, API group, version,
/// resource, subresource, namespace, name) or a non-resource request (lower-cased HTTP method and path).
struct RequestAttributes: Sendable, Hashable {
    var verb: String
    var isResourceRequest: Bool
    /// The request path (non-resource requests are matched on it).
    var path: String
    var namespace: String = ""
    var group: String = ""
    var version: String = ""
    var resource: String = ""
    var subresource: String = ""
    var name: String = ""

    /// A resource request's attributes.
    init(
        verb: String, group: String, version: String = "", resource: String, subresource: String = "", namespace: String = "",
        name: String = ""
    ) {
        self.verb = verb
        self.isResourceRequest = true
        self.path = ""
        self.group = group
        self.version = version
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }

    /// A non-resource request's attributes.
    init(verb: String, path: String) {
        self.verb = verb
        self.isResourceRequest = false
        self.path = path
    }

    /// The attributes of an HTTP request.
    init(_ request: APIRequest, route: APIRoute) {
        guard case .resource(let path) = route else {
            self.init(verb: request.method.rawValue.lowercased(), path: request.path)
            return
        }
        var verb: String
        switch request.method {
        case .POST: verb = "create"
        case .GET, .HEAD: verb = "get"
        case .PUT: verb = "update"
        case .PATCH: verb = "patch"
        case .DELETE: verb = "delete"
        default: verb = request.method.rawValue.lowercased()
        }
        var name = path.name ?? ""
        if path.legacyWatch {
            verb = "watch"
        } else if name.isEmpty && verb == "get" {
            verb = request.query.flag("watch") ? "watch" : "list"
            // A list or watch of exactly one name is authorized as that name (resourceNames rules apply).
            if let selector = request.query["fieldSelector"], let only = Self.exactName(selector) { name = only }
        }
        if name.isEmpty && verb == "delete" { verb = "deletecollection" }
        var namespace = path.namespace ?? ""
        // `namespaces/<name>` is in its own namespace, so a RoleBinding there can grant reading it.
        if namespace.isEmpty, path.plural == "namespaces", let own = path.name { namespace = own }
        self.init(
            verb: verb, group: path.group, version: path.version, resource: path.plural,
            subresource: path.subresource ?? "", namespace: namespace, name: name)
    }

    /// `metadata.name=<x>` (or `==`) when the selector requires exactly that name.
    static func exactName(_ selector: String) -> String? {
        for term in selector.split(separator: ",") {
            guard let equals = term.firstIndex(of: "=") else { continue }
            var key = term[..<equals]
            if key.last == "!" { continue }
            var value = term[term.index(after: equals)...]
            if value.first == "=" { value = value.dropFirst() }
            while key.last == " " { key = key.dropLast() }
            while key.first == " " { key = key.dropFirst() }
            while value.first == " " { value = value.dropFirst() }
            while value.last == " " { value = value.dropLast() }
            if key == "metadata.name", !value.isEmpty, !value.contains("/") { return String(value) }
        }
        return nil
    }

    /// `<resource>[/<subresource>]`, as rules and messages name it.
    var combinedResource: String { subresource.isEmpty ? resource : "\(resource)/\(subresource)" }
}
