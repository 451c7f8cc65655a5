extension Kubeconfig {
    /// A `users[].user` entry (`AuthInfo`). File paths are absolute; `-data` fields hold base64 text.
    ///
    /// `description` and `debugDescription` name only which fields are set, never their values.
    public struct User: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// The entry's name.
        public var name: String
        /// The file that defined it, when known.
        public var file: String?
        /// `token`: a bearer token.
        public var token: String?
        /// `tokenFile`: path of a file holding a bearer token, re-read when it changes.
        public var tokenFile: String?
        /// `username` for basic authentication.
        public var username: String?
        /// `password` for basic authentication.
        public var password: String?
        /// `client-certificate`: path of a PEM client certificate.
        public var clientCertificate: String?
        /// `client-certificate-data`: base64 of a PEM client certificate; wins over the file.
        public var clientCertificateData: String?
        /// `client-key`: path of a PEM private key.
        public var clientKey: String?
        /// `client-key-data`: base64 of a PEM private key; wins over the file.
        public var clientKeyData: String?
        /// `exec`: a credential plugin.
        public var exec: ExecConfig?
        /// `auth-provider.name`; legacy providers are not supported and make resolution fail.
        public var authProvider: String?
        /// `as`: the user to impersonate.
        public var impersonate: String?
        /// `as-uid`.
        public var impersonateUID: String?
        /// `as-groups`.
        public var impersonateGroups: [String]
        /// `as-user-extra`.
        public var impersonateUserExtra: [String: [String]]

        public init(name: String, file: String? = nil) {
            self.name = name
            self.file = file
            self.impersonateGroups = []
            self.impersonateUserExtra = [:]
        }

        init(reader: KubeconfigFieldReader, name: String, directory: String) throws(KubeconfigError) {
            self.init(name: name, file: reader.file)
            let path: (String?) -> String? = { $0.map { ConfigFiles.resolve($0, against: directory) } }
            token = try reader.string("token")
            tokenFile = path(try reader.string("tokenFile"))
            username = try reader.string("username")
            password = try reader.string("password")
            clientCertificate = path(try reader.string("client-certificate"))
            clientCertificateData = try reader.string("client-certificate-data")
            clientKey = path(try reader.string("client-key"))
            clientKeyData = try reader.string("client-key-data")
            if let provider = try reader.nested("auth-provider") {
                authProvider = try provider.string("name") ?? ""
            }
            impersonate = try reader.string("as")
            impersonateUID = try reader.string("as-uid")
            impersonateGroups = try reader.stringList("as-groups") ?? []
            if let extra = try reader.object("as-user-extra") {
                for (key, value) in extra {
                    guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                        throw reader.fail("as-user-extra.\(key)", "must be a list of strings")
                    }
                    impersonateUserExtra[key] = list.compactMap(\.stringValue)
                }
            }
            if let exec = try reader.nested("exec") {
                self.exec = try ExecConfig(reader: exec, directory: directory)
            }
        }

        /// The names of the fields that are set, e.g. `["token", "as"]`.
        public var fieldsSet: [String] {
            var fields: [String] = []
            if token != nil { fields.append("token") }
            if tokenFile != nil { fields.append("tokenFile") }
            if username != nil { fields.append("username") }
            if password != nil { fields.append("password") }
            if clientCertificate != nil { fields.append("client-certificate") }
            if clientCertificateData != nil { fields.append("client-certificate-data") }
            if clientKey != nil { fields.append("client-key") }
            if clientKeyData != nil { fields.append("client-key-data") }
            if exec != nil { fields.append("exec") }
            if authProvider != nil { fields.append("auth-provider") }
            if impersonate != nil { fields.append("as") }
            if impersonateUID != nil { fields.append("as-uid") }
            if !impersonateGroups.isEmpty { fields.append("as-groups") }
            if !impersonateUserExtra.isEmpty { fields.append("as-user-extra") }
            return fields
        }

        public var description: String { "User(name: \(name), set: \(fieldsSet.joined(separator: ", ")))" }
        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["name": name, "set": fieldsSet]) }
    }

    /// A `user.exec` credential plugin.
    ///
    /// `description` shows the command and the names of the environment variables, not their values.
    public struct ExecConfig: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
        /// One `env` entry.
        public struct EnvironmentVariable: Sendable, Hashable {
            public var name: String
            public var value: String

            public init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }

        /// `command`: an absolute path, a path relative to the kubeconfig's directory (when it
        /// contains `/`; resolved at load), or a name looked up in `PATH`.
        public var command: String
        /// `args`.
        public var args: [String]
        /// `env`, added to the current environment.
        public var env: [EnvironmentVariable]
        /// `apiVersion`: `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`.
        public var apiVersion: String
        /// `installHint`, shown when the command cannot be found.
        public var installHint: String?
        /// `provideClusterInfo`: pass the cluster's details in `KUBERNETES_EXEC_INFO`.
        public var provideClusterInfo: Bool
        /// `interactiveMode`; plugins run here never get a terminal, so `Always` fails at resolution.
        public var interactiveMode: String?

        /// The API versions of `ExecCredential` this client speaks.
        public static let supportedAPIVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

        public init(
            command: String,
            args: [String] = [],
            env: [EnvironmentVariable] = [],
            apiVersion: String = "client.authentication.k8s.io/v1",
            installHint: String? = nil,
            provideClusterInfo: Bool = false,
            interactiveMode: String? = nil
        ) {
            self.command = command
            self.args = args
            self.env = env
            self.apiVersion = apiVersion
            self.installHint = installHint
            self.provideClusterInfo = provideClusterInfo
            self.interactiveMode = interactiveMode
        }

        public var description: String {
            "ExecConfig(command: \(command), apiVersion: \(apiVersion), env: \(env.map(\.name)))"
        }

        public var debugDescription: String { description }

        init(reader: KubeconfigFieldReader, directory: String) throws(KubeconfigError) {
            guard let command = try reader.string("command"), !command.isEmpty else {
                throw reader.fail("command", "is missing")
            }
            guard let apiVersion = try reader.string("apiVersion"), !apiVersion.isEmpty else {
                throw reader.fail("apiVersion", "is missing")
            }
            guard Self.supportedAPIVersions.contains(apiVersion) else {
                throw reader.fail("apiVersion", "is \"\(apiVersion)\"; supported: \(Self.supportedAPIVersions.joined(separator: ", "))")
            }
            var env: [EnvironmentVariable] = []
            for (index, element) in (try reader.array("env") ?? []).enumerated() {
                guard let name = element["name"]?.stringValue, let value = element["value"]?.stringValue else {
                    throw reader.fail("env[\(index)]", "must have string \"name\" and \"value\"")
                }
                env.append(EnvironmentVariable(name: name, value: value))
            }
            self.init(
                command: command.contains("/") ? ConfigFiles.resolve(command, against: directory) : command,
                args: try reader.stringList("args") ?? [],
                env: env,
                apiVersion: apiVersion,
                installHint: try reader.string("installHint"),
                provideClusterInfo: try reader.bool("provideClusterInfo") ?? false,
                interactiveMode: try reader.string("interactiveMode")
            )
        }
    }
}
