extension Kubeconfig {
    /// A `clusters[].cluster` entry. File paths are absolute (resolved against the kubeconfig's
    /// directory); `-data` fields hold the base64 text as written, decoded when a configuration is built.
    public struct Cluster: Sendable, Hashable {
        /// The entry's name.
        public var name: String
        /// The file that defined it, when known.
        public var file: String?
        /// `server`: the API server URL.
        public var server: String?
        /// `certificate-authority`: path of a PEM CA bundle.
        public var certificateAuthority: String?
        /// `certificate-authority-data`: base64 of a PEM CA bundle; wins over the file.
        public var certificateAuthorityData: String?
        /// `insecure-skip-tls-verify`.
        public var insecureSkipTLSVerify: Bool
        /// `tls-server-name`: the name to verify the server's certificate against.
        public var tlsServerName: String?
        /// `proxy-url`, kept for exec plugins' cluster info; the transport does not use it.
        public var proxyURL: String?
        /// `extensions[name=client.authentication.k8s.io/exec].extension`, passed to exec plugins.
        public var execExtension: JSONValue?

        public init(
            name: String,
            file: String? = nil,
            server: String? = nil,
            certificateAuthority: String? = nil,
            certificateAuthorityData: String? = nil,
            insecureSkipTLSVerify: Bool = false,
            tlsServerName: String? = nil,
            proxyURL: String? = nil,
            execExtension: JSONValue? = nil
        ) {
            self.name = name
            self.file = file
            self.server = server
            self.certificateAuthority = certificateAuthority
            self.certificateAuthorityData = certificateAuthorityData
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.tlsServerName = tlsServerName
            self.proxyURL = proxyURL
            self.execExtension = execExtension
        }

        init(reader: KubeconfigFieldReader, name: String, directory: String) throws(KubeconfigError) {
            var execExtension: JSONValue?
            for (index, element) in (try reader.array("extensions") ?? []).enumerated() {
                guard element["name"]?.stringValue == "client.authentication.k8s.io/exec" else { continue }
                guard let value = element["extension"] else {
                    throw reader.fail("extensions[\(index)].extension", "is missing")
                }
                execExtension = value
            }
            self.init(
                name: name,
                file: reader.file,
                server: try reader.string("server"),
                certificateAuthority: try reader.string("certificate-authority").map { ConfigFiles.resolve($0, against: directory) },
                certificateAuthorityData: try reader.string("certificate-authority-data"),
                insecureSkipTLSVerify: try reader.bool("insecure-skip-tls-verify") ?? false,
                tlsServerName: try reader.string("tls-server-name"),
                proxyURL: try reader.string("proxy-url"),
                execExtension: execExtension
            )
        }
    }

    /// A `contexts[].context` entry.
    public struct Context: Sendable, Hashable {
        /// The entry's name.
        public var name: String
        /// The file that defined it, when known.
        public var file: String?
        /// Name of the cluster entry.
        public var cluster: String?
        /// Name of the user entry; `nil` for anonymous access.
        public var user: String?
        /// Default namespace; `default` when absent.
        public var namespace: String?

        public init(name: String, file: String? = nil, cluster: String? = nil, user: String? = nil, namespace: String? = nil) {
            self.name = name
            self.file = file
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }

        init(reader: KubeconfigFieldReader, name: String) throws(KubeconfigError) {
            self.init(
                name: name,
                file: reader.file,
                cluster: try reader.string("cluster"),
                user: try reader.string("user").flatMap { $0.isEmpty ? nil : $0 },
                namespace: try reader.string("namespace").flatMap { $0.isEmpty ? nil : $0 }
            )
        }
    }
}
