import Foundation

/// A new operator package, as `roperator init` writes it: the custom resource's Swift types and
/// CRD, a handler, a TestKit test, RBAC and a Deployment, a Dockerfile and a README.
///
/// The files are plain values (``files()``), so tests check them without writing anything.
public struct OperatorScaffold: Sendable, Equatable {
    /// Where the generated package finds Roperator.
    public enum Dependency: Sendable, Equatable {
        /// A local checkout, e.g. `../roperator`.
        case path(String)
        /// A git URL, on its `main` branch.
        case url(String)
    }

    /// The package and executable name, e.g. `memcached-operator`.
    public var name: String
    /// The custom resource's API group, e.g. `cache.example.com`.
    public var group: String
    /// The custom resource's version, e.g. `v1alpha1`.
    public var version: String
    /// The custom resource's kind, e.g. `Memcached`.
    public var kind: String
    /// The resource's plural, e.g. `memcacheds`.
    public var plural: String
    /// Where Roperator comes from.
    public var dependency: Dependency
    /// The port of `/healthz`, `/readyz` and `/metrics` (the generated `OperatorConfig`'s
    /// `metricsPort`, the Deployment's probes and `containerPort`).
    public var metricsPort: Int

    /// The Roperator checkout this library was built from: the default dependency of a new
    /// package, so `swift run roperator init` in a checkout writes a package that builds against it.
    public static var thisCheckout: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// - Throws: ``ScaffoldError`` naming the argument that cannot be used.
    public init(
        name: String, group: String, version: String, kind: String, plural: String? = nil,
        dependency: Dependency = .path(thisCheckout), metricsPort: Int = 8080
    ) throws(ScaffoldError) {
        self.name = name
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural ?? Self.plural(of: kind)
        self.dependency = dependency
        self.metricsPort = metricsPort
        try validate()
    }

    /// The Swift module of the types and the handler, e.g. `MemcachedOperator` for `memcached-operator`.
    public var moduleName: String {
        name.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `group/version`.
    public var apiVersion: String { "\(group)/\(version)" }

    /// The kind in lower case, for file and object names.
    var lowerKind: String { kind.lowercased() }

    /// The identity SwiftPM gives the Roperator package: the last path component, lower-cased,
    /// without `.git`.
    var dependencyIdentity: String {
        let location: String
        switch dependency {
        case .path(let path): location = path
        case .url(let url): location = url
        }
        var last = location.split(separator: "/").last.map(String.init) ?? location
        if last.hasSuffix(".git") { last.removeLast(4) }
        return last.lowercased()
    }

    /// English plural of a kind, as `kubectl` and kubebuilder spell most of them.
    static func plural(of kind: String) -> String {
        let lower = kind.lowercased()
        if lower.hasSuffix("s") || lower.hasSuffix("x") || lower.hasSuffix("ch") || lower.hasSuffix("sh") {
            return lower + "es"
        }
        if lower.hasSuffix("y"), let before = lower.dropLast().last, !"aeiou".contains(before) {
            return String(lower.dropLast()) + "ies"
        }
        return lower + "s"
    }

    private func validate() throws(ScaffoldError) {
        let dnsLabel = /[a-z0-9]([-a-z0-9]*[a-z0-9])?/
        guard name.wholeMatch(of: dnsLabel) != nil, name.count <= 63, name.first?.isLetter == true else {
            throw ScaffoldError(
                argument: "name", value: name, reason: "must be a DNS label starting with a letter, e.g. memcached-operator")
        }
        let subdomain = /[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+/
        guard group.wholeMatch(of: subdomain) != nil, group.count <= 253 else {
            throw ScaffoldError(argument: "--group", value: group, reason: "must be a DNS subdomain with a dot, e.g. cache.example.com")
        }
        guard version.wholeMatch(of: /v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?/) != nil else {
            throw ScaffoldError(
                argument: "--version", value: version, reason: "must be a Kubernetes version such as v1, v1beta1 or v1alpha1")
        }
        guard kind.wholeMatch(of: /[A-Z][A-Za-z0-9]*/) != nil else {
            throw ScaffoldError(argument: "--kind", value: kind, reason: "must be UpperCamelCase letters and digits, e.g. Memcached")
        }
        guard plural.wholeMatch(of: dnsLabel) != nil else {
            throw ScaffoldError(argument: "--plural", value: plural, reason: "must be a lower-case DNS label, e.g. memcacheds")
        }
        guard (1...65535).contains(metricsPort) else {
            throw ScaffoldError(argument: "--metrics-port", value: String(metricsPort), reason: "must be between 1 and 65535")
        }
    }
}
