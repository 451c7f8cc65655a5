extension OperatorScaffold {
    /// `Sources/<Module>/<Kind>.swift`: the type, the `OperatorConfig` and the CRD.
    var resourceSource: String {
        #"""
        import Foundation
        import Roperator

        /// The `\#(kind)` custom resource (`\#(plural).\#(group)`) and the operator that reconciles it.
        public enum \#(kind) {
            /// The custom resource's type.
            public static let type = K8sType(group: "\#(group)", version: "\#(version)", kind: "\#(kind)", plural: "\#(plural)")

            /// What the operator watches and how it writes: one ConfigMap per \#(kind), replaced when
            /// it differs; `/healthz`, `/readyz` and `/metrics` on port \#(metricsPort); leader election on
            /// the Lease `\#(name)`, so that replicas can stand by. `config/rbac.yaml` and
            /// `config/deployment.yaml` follow from these settings: change them together.
            public static func config() -> OperatorConfig {
                OperatorConfig(name: "\#(name)", parent: type)
                    .withChild(.configMap, .replace)
                    .metricsPort(\#(metricsPort))
                    .leaderElection(leaseName: "\#(name)")
            }

            /// The CustomResourceDefinition, as YAML (`crd.yaml` next to this file).
            ///
            /// Written by hand from ``\#(kind)Spec`` and ``\#(kind)Status``: keep them in step. This is the
            /// one place to change when the CRD is generated from the Swift types instead; `--print-crd`
            /// and the tests read it from here.
            public static func customResourceDefinitionYAML() throws -> String {
                guard let url = Bundle.module.url(forResource: "crd", withExtension: "yaml") else {
                    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "crd.yaml"])
                }
                return try String(contentsOf: url, encoding: .utf8)
            }

            /// The CustomResourceDefinition, parsed.
            public static func customResourceDefinition() throws -> JSONValue {
                try JSONValue(yaml: customResourceDefinitionYAML())
            }
        }

        """#
    }

    /// `Sources/<Module>/<Kind>Spec.swift`.
    var specSource: String {
        #"""
        /// What a `\#(kind)` asks for (its `spec`). Mirror every change in `crd.yaml`.
        public struct \#(kind)Spec: Codable, Sendable, Equatable {
            /// Copied into the ConfigMap the operator keeps for this \#(kind).
            public var message: String

            public init(message: String) {
                self.message = message
            }
        }

        """#
    }

    /// `Sources/<Module>/<Kind>Status.swift`.
    var statusSource: String {
        #"""
        /// What the operator reports on a `\#(kind)` (its `status`). Mirror every change in `crd.yaml`.
        public struct \#(kind)Status: Codable, Sendable, Equatable {
            /// The name of the ConfigMap the operator keeps.
            public var configMap: String
            /// The message the ConfigMap holds.
            public var message: String

            public init(configMap: String, message: String) {
                self.configMap = configMap
                self.message = message
            }
        }

        """#
    }

    /// `Sources/<Module>/<Kind>Handler.swift`.
    var handlerSource: String {
        #"""
        import Roperator

        /// Reconciles one `\#(kind)`: the ConfigMap `<name>-\#(lowerKind)` holds `spec.message`, and the
        /// status names it. The runtime creates, updates and deletes the ConfigMap to match, and
        /// garbage collection removes it with its \#(kind).
        public struct \#(kind)Handler: Handler {
            public init() {}

            public func sync(_ request: SyncRequest) async throws -> SyncResponse {
                let spec = try request.spec(as: \#(kind)Spec.self)
                let name = "\(request.parent.name ?? "\#(lowerKind)")-\#(lowerKind)"

                var configMap = KubeObject(type: .configMap, name: name)
                configMap.json["data"] = ["message": .string(spec.message)]

                var response = try SyncResponse(status: \#(kind)Status(configMap: name, message: spec.message))
                response.add(configMap)
                return response
            }
        }

        """#
    }

    /// `Sources/<name>/<Kind>Command.swift`.
    var mainSource: String {
        #"""
        import \#(moduleName)
        import Roperator

        /// `\#(name)`: runs the operator against the cluster the kubeconfig (or the pod's service
        /// account) names. `--embedded` runs it against an in-process API server instead;
        /// `--print-crd` prints the CustomResourceDefinition. Failures print `error: <message>` and
        /// exit with status 1.
        @main
        struct \#(kind)Command: OperatorMain {
            static func run() async throws {
                let arguments = Set(CommandLine.arguments.dropFirst())
                if let unknown = arguments.subtracting(["--embedded", "--exit-after-ready", "--print-crd"]).first {
                    throw UsageError(message: "unknown option \(unknown); use --embedded [--exit-after-ready] or --print-crd")
                }
                if arguments.contains("--print-crd") {
                    print(try \#(kind).customResourceDefinitionYAML(), terminator: "")
                } else if arguments.contains("--embedded") {
                    try await EmbeddedRun.run(exitAfterReady: arguments.contains("--exit-after-ready"))
                } else {
                    try await runOperator(\#(kind).config(), \#(kind)Handler())
                }
            }
        }

        /// A command line that cannot be used.
        struct UsageError: Error, CustomStringConvertible {
            let message: String
            var description: String { message }
        }

        """#
    }

    /// `Sources/<name>/EmbeddedRun.swift`.
    var embeddedRunSource: String {
        #"""
        import Foundation
        import \#(moduleName)
        import Roperator
        import RoperatorTesting
        import UnixSignals

        /// `--embedded`: the operator against an in-process API server holding the CRD and a sample
        /// \#(kind), until Ctrl-C (or until the sample is reconciled, with `--exit-after-ready`).
        enum EmbeddedRun {
            static func run(exitAfterReady: Bool) async throws {
                // One replica in-process: no Lease to wait for; the probes on a free port.
                let config = \#(kind).config().leaderElection(nil).metricsHost("127.0.0.1").metricsPort(0)
                let kit = try await TestKit.start(
                    config, handler: \#(kind)Handler(), crd: try \#(kind).customResourceDefinition(),
                    defaultTimeout: .seconds(30))
                do {
                    let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("\#(name).kubeconfig").path
                    try kit.server?.writeKubeconfig(to: kubeconfig)
                    _ = try await kit.createParent([
                        "metadata": ["name": "sample"],
                        "spec": ["message": "Hello from \#(name)"],
                    ])
                    let sample = try await kit.waitForParentStatus(named: "sample", matching: ["configMap": "sample-\#(lowerKind)"])
                    print("ready: \#(kind) \(kit.namespace)/sample has status \(sample.status?.serialized() ?? "{}")")
                    print("try: KUBECONFIG=\(kubeconfig) kubectl get \#(plural),configmaps")
                    if let port = kit.operator.healthPort { print("probes: http://127.0.0.1:\(port)/readyz?verbose") }
                    if !exitAfterReady {
                        print("press Ctrl-C to stop")
                        for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { break }
                    }
                } catch {
                    try? await kit.stop()  // the run's error is the one to report
                    throw error
                }
                try await kit.stop()
            }
        }

        """#
    }

    /// `Tests/<Module>Tests/<Kind>HandlerTests.swift`: the handler against the embedded API server.
    var testSource: String {
        #"""
        import \#(moduleName)
        import Roperator
        import RoperatorTesting
        import Testing

        @Suite("\#(kind)Handler")
        struct \#(kind)HandlerTests {
            @Test("a \#(kind) gets its ConfigMap and status, and a spec change reaches the ConfigMap")
            func configMapFollowsSpec() async throws {
                let config = \#(kind).config().leaderElection(nil).metricsPort(nil)
                let kit = try await TestKit.start(config, handler: \#(kind)Handler(), crd: try \#(kind).customResourceDefinition())
                do {
                    _ = try await kit.createParent(["metadata": ["name": "first"], "spec": ["message": "hello"]])
                    _ = try await kit.waitForChild(.configMap, named: "first-\#(lowerKind)", matching: ["data": ["message": "hello"]])
                    _ = try await kit.waitForParentStatus(named: "first", matching: ["configMap": "first-\#(lowerKind)", "message": "hello"])

                    _ = try await kit.updateParent(named: "first", spec: ["message": "goodbye"])
                    _ = try await kit.waitForChild(.configMap, named: "first-\#(lowerKind)", matching: ["data": ["message": "goodbye"]])
                    #expect(kit.errorCount(forParent: "first") == 0)
                } catch {
                    try? await kit.stop()  // the test's error is the one to report
                    throw error
                }
                try await kit.stop()
            }
        }

        """#
    }
}
