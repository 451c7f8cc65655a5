public import Foundation

/// A kubeconfig: clusters, users and contexts, merged from one or more files the way kubectl
/// merges a `KUBECONFIG` list, ready to turn into a ``ClientConfiguration``.
///
/// Relative file paths inside each file (certificate, key, token file, exec command with a `/`)
/// are resolved against that file's directory when it is loaded. Loading checks the shape of every
/// entry; ``clientConfiguration(context:)`` checks the entries the chosen context uses in depth
/// (base64, PEM, files present, a single authentication method) and names the file, context,
/// entry and field of any problem.
///
/// ```swift
/// let kubeconfig = try Kubeconfig.load()                  // $KUBECONFIG or ~/.kube/config
/// let configuration = try kubeconfig.clientConfiguration(context: "kind-dev")
/// ```
public struct Kubeconfig: Sendable, CustomStringConvertible {
    /// The files this configuration was read from, in precedence order.
    public var files: [String]
    /// The context used when none is named (`current-context` of the first file that sets one).
    public var currentContext: String?
    /// Clusters by name.
    public var clusters: [String: Cluster]
    /// Users (`AuthInfo`) by name; `description`s of users never show secrets.
    public var users: [String: User]
    /// Contexts by name.
    public var contexts: [String: Context]

    /// An empty configuration.
    public init(
        files: [String] = [],
        currentContext: String? = nil,
        clusters: [String: Cluster] = [:],
        users: [String: User] = [:],
        contexts: [String: Context] = [:]
    ) {
        self.files = files
        self.currentContext = currentContext
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
    }

    /// Parses kubeconfig YAML.
    ///
    /// - Parameters:
    ///   - yaml: The file's text.
    ///   - file: The file's path, used in error messages and to resolve relative paths (against
    ///     the current directory when `nil`).
    /// - Throws: ``KubeconfigError`` naming the file and field when the YAML or its shape is wrong.
    public init(yaml: String, file: String? = nil) throws(KubeconfigError) {
        let document: JSONValue
        do {
            document = try JSONValue(yaml: yaml)
        } catch {
            throw KubeconfigError(file: file, reason: error.description)
        }
        let base = file.map(ConfigFiles.directory(of:)) ?? ConfigFiles.currentDirectory()
        try self.init(document: document, file: file, directory: base)
    }

    /// Reads one kubeconfig file.
    ///
    /// - Throws: ``KubeconfigError`` when the file cannot be read or is malformed.
    public static func load(path: String) throws(KubeconfigError) -> Kubeconfig {
        let absolute = ConfigFiles.resolve(path, against: ConfigFiles.currentDirectory())
        let text: String
        do {
            text = try ConfigFiles.text(of: absolute)
        } catch {
            throw KubeconfigError(file: absolute, reason: error.reason)
        }
        return try Kubeconfig(yaml: text, file: absolute)
    }

    /// Reads several kubeconfig files and merges them: for each cluster, user and context name the
    /// first file that defines it wins, and `current-context` comes from the first file that sets it.
    ///
    /// - Throws: ``KubeconfigError`` when a file cannot be read or is malformed.
    public static func load(paths: [String]) throws(KubeconfigError) -> Kubeconfig {
        var merged = Kubeconfig()
        for path in paths {
            merged = merged.merging(try load(path: path))
        }
        return merged
    }

    /// Reads the kubeconfig kubectl would: the `:`-separated `KUBECONFIG` list (files that do not
    /// exist are skipped, as kubectl does) or, when it is unset, `~/.kube/config`.
    ///
    /// - Parameter environment: The environment to read `KUBECONFIG` and `HOME` from.
    /// - Throws: ``KubeconfigError`` when no listed file exists or one is malformed.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KubeconfigError) -> Kubeconfig {
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            let existing = paths.filter(ConfigFiles.exists)
            guard !existing.isEmpty else {
                throw KubeconfigError(file: list, reason: "none of the files in KUBECONFIG exists")
            }
            return try load(paths: existing)
        }
        let path = ConfigFiles.homeDirectory(environment: environment) + "/.kube/config"
        return try load(path: path)
    }

    /// This configuration with `other`'s entries added where this one has none of that name;
    /// `currentContext` stays unless this one has none.
    public func merging(_ other: Kubeconfig) -> Kubeconfig {
        var merged = self
        merged.files += other.files
        if merged.currentContext?.isEmpty ?? true { merged.currentContext = other.currentContext }
        merged.clusters.merge(other.clusters) { mine, _ in mine }
        merged.users.merge(other.users) { mine, _ in mine }
        merged.contexts.merge(other.contexts) { mine, _ in mine }
        return merged
    }

    /// The files joined with `:`, for messages about the configuration as a whole.
    var filesDescription: String? {
        files.isEmpty ? nil : files.joined(separator: ":")
    }

    /// A summary without secrets: files, current context and entry names.
    public var description: String {
        "Kubeconfig(files: \(files), currentContext: \(currentContext ?? "none"), contexts: \(contexts.keys.sorted()), "
            + "clusters: \(clusters.keys.sorted()), users: \(users.keys.sorted()))"
    }
}

// MARK: - Parsing

extension Kubeconfig {
    private init(document: JSONValue, file: String?, directory: String) throws(KubeconfigError) {
        self.init(files: file.map { [$0] } ?? [])
        if document.isNull { return }
        guard let top = document.objectValue else {
            throw KubeconfigError(file: file, reason: "the document is not a mapping")
        }
        let root = KubeconfigFieldReader(file: file, entry: nil, object: top)
        if let kind = try root.string("kind"), kind != "Config" {
            throw KubeconfigError(file: file, field: "kind", reason: "is \"\(kind)\", expected \"Config\"")
        }
        currentContext = try root.string("current-context").flatMap { $0.isEmpty ? nil : $0 }
        clusters = try Self.namedEntries(root, list: "clusters", body: "cluster") { reader, name throws(KubeconfigError) in
            try Cluster(reader: reader, name: name, directory: directory)
        }
        users = try Self.namedEntries(root, list: "users", body: "user") { reader, name throws(KubeconfigError) in
            try User(reader: reader, name: name, directory: directory)
        }
        contexts = try Self.namedEntries(root, list: "contexts", body: "context") { reader, name throws(KubeconfigError) in
            try Context(reader: reader, name: name)
        }
    }

    /// Reads `list: [{name: ..., <body>: {...}}]`; within one file the first entry of a name wins.
    private static func namedEntries<T>(
        _ root: KubeconfigFieldReader,
        list: String,
        body: String,
        make: (KubeconfigFieldReader, String) throws(KubeconfigError) -> T
    ) throws(KubeconfigError) -> [String: T] {
        guard let entries = try root.array(list) else { return [:] }
        var result: [String: T] = [:]
        for (index, entry) in entries.enumerated() {
            let at = "\(list)[\(index)]"
            guard let object = entry.objectValue else {
                throw KubeconfigError(file: root.file, field: at, reason: "is not a mapping")
            }
            let outer = KubeconfigFieldReader(file: root.file, entry: nil, object: object, prefix: at + ".")
            guard let name = try outer.string("name"), !name.isEmpty else {
                throw KubeconfigError(file: root.file, field: at + ".name", reason: "is missing")
            }
            let inner = try outer.object(body) ?? [:]
            let reader = KubeconfigFieldReader(file: root.file, entry: "\(body) \"\(name)\"", object: inner)
            if result[name] == nil { result[name] = try make(reader, name) }
        }
        return result
    }
}

/// Typed access to one kubeconfig mapping, producing errors that name the file, entry and field.
struct KubeconfigFieldReader {
    let file: String?
    let entry: String?
    let object: [String: JSONValue]
    var prefix = ""

    func fail(_ key: String, _ reason: String) -> KubeconfigError {
        KubeconfigError(file: file, entry: entry, field: prefix + key, reason: reason)
    }

    private func present(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(KubeconfigError) -> String? {
        guard let value = present(key) else { return nil }
        switch value {
        case .string(let s): return s
        // YAML turns unquoted numbers into numbers; a name or namespace like `2024` is still text.
        case .int(let i): return String(i)
        default: throw fail(key, "must be a string")
        }
    }

    func bool(_ key: String) throws(KubeconfigError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard let b = value.boolValue else { throw fail(key, "must be true or false") }
        return b
    }

    func array(_ key: String) throws(KubeconfigError) -> [JSONValue]? {
        guard let value = present(key) else { return nil }
        guard let a = value.arrayValue else { throw fail(key, "must be a list") }
        return a
    }

    func object(_ key: String) throws(KubeconfigError) -> [String: JSONValue]? {
        guard let value = present(key) else { return nil }
        guard let o = value.objectValue else { throw fail(key, "must be a mapping") }
        return o
    }

    func stringList(_ key: String) throws(KubeconfigError) -> [String]? {
        guard let list = try array(key) else { return nil }
        var result: [String] = []
        for (index, element) in list.enumerated() {
            guard let s = element.stringValue else { throw fail("\(key)[\(index)]", "must be a string") }
            result.append(s)
        }
        return result
    }

    func nested(_ key: String) throws(KubeconfigError) -> KubeconfigFieldReader? {
        guard let inner = try object(key) else { return nil }
        return KubeconfigFieldReader(file: file, entry: entry, object: inner, prefix: prefix + key + ".")
    }
}
