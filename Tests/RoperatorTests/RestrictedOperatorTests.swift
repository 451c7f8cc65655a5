import EchoServerExample
import Logging
import Roperator
import RoperatorClient
import RoperatorTesting
import Testing

/// The EchoServer example run as a service account that holds exactly the rules
/// `OperatorConfig.rbacRules()` generates, against the embedded server with RBAC enforced.
@Suite("Restricted operator (RBAC)", .timeLimit(.minutes(2)))
struct RestrictedOperatorTests {
    static let operatorNamespace = "echo-system"
    static let serviceAccount = "echo-operator"
    static let operatorUser = "system:serviceaccount:\(operatorNamespace):\(serviceAccount)"
    static let operatorToken = "echo-operator-token"

    /// A server enforcing RBAC with the EchoServer CRD, where the operator's token is known but
    /// grants nothing yet.
    static func startServer() async throws -> EmbeddedAPIServer {
        let crds = try EmbeddedAPIServer.Configuration.customResourceDefinitions(fromFile: EchoServer.crdFile.path)
        var configuration = EmbeddedAPIServer.Configuration(customResourceDefinitions: crds, authorization: .rbac)
        configuration.tokens = [operatorToken: operatorUser]
        return try await EmbeddedAPIServer.start(configuration)
    }

    /// Installs `rules` as the operator's ClusterRole, bound to its service account.
    static func grant(_ rules: [RBACRule], config: OperatorConfig, admin: KubeClient) async throws {
        var role = config.rbacClusterRole()
        role.json["rules"] = .array(rules.map(\.json))
        _ = try await admin.create(.clusterRole, role)
        _ = try await admin.create(
            .clusterRoleBinding,
            config.rbacClusterRoleBinding(to: [.serviceAccount(name: serviceAccount, namespace: operatorNamespace)]))
    }

    /// Runs `body` with the operator started as its service account (rules granted first).
    static func withRestrictedOperator(
        rules: (OperatorConfig) -> [RBACRule],
        configure: (OperatorConfig) -> OperatorConfig = { $0 },
        waitForReady: Bool = true,
        logs: LogCapture? = nil,
        _ body: (_ server: EmbeddedAPIServer, _ admin: KubeClient, _ member: Operator) async throws -> Void
    ) async throws {
        let server = try await startServer()
        let admin = try KubeClient(configuration: server.clientConfiguration)
        let config = configure(EchoServer.config().metricsPort(0))
        var restricted: KubeClient?
        var run: Task<Void, any Error>?
        do {
            try await grant(rules(config), config: config, admin: admin)
            let client = try KubeClient(
                configuration: server.clientConfiguration(token: operatorToken),
                logger: logs?.logger("restricted-client") ?? Logger(label: "restricted-client"))
            restricted = client
            let member = try Operator(
                config: config, handler: EchoServerHandler(), client: client,
                logger: logs?.logger("restricted-operator") ?? Logger(label: "restricted-operator"))
            run = Task { try await member.run() }
            if waitForReady { try await poll("the restricted operator's caches synced") { member.isReady } }
            try await body(server, admin, member)
        } catch {
            run?.cancel()
            _ = await run?.result
            try? await restricted?.shutdown()
            try? await admin.shutdown()
            try? await server.shutdown()
            throw error
        }
        run?.cancel()
        _ = await run?.result
        try await restricted?.shutdown()
        try await admin.shutdown()
        try await server.shutdown()
    }

    static func echoServer(_ name: String, spec: JSONValue) -> KubeObject {
        KubeObject([
            "apiVersion": .string(Self.parentType.apiVersion), "kind": .string(EchoServer.kind),
            "metadata": ["name": .string(name), "namespace": "default"], "spec": spec,
        ])
    }

    static var parentType: K8sType { EchoServer.config().parent }

    /// Warning Events on a parent, as `kubectl describe` lists them.
    static func warnings(on name: String, _ client: KubeClient) async throws -> [KubeObject] {
        try await client.list(.event, namespace: "default").items.filter {
            $0.json[path: "involvedObject", "name"]?.stringValue == name && $0.json["type"] == "Warning"
        }
    }

    @Test("converges with exactly the generated rules: children, status, Events, finalize")
    func convergesWithGeneratedRules() async throws {
        try await Self.withRestrictedOperator(rules: { $0.rbacRules() }) { _, admin, member in
            // The operator's identity really is restricted: it cannot read Secrets.
            let refused = await #expect(throws: KubeAPIError.self) {
                _ = try await member.client.list(.secret, namespace: "default")
            }
            #expect(refused?.code == 403)
            #expect(
                refused?.message
                    == "secrets is forbidden: User \"\(Self.operatorUser)\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\""
            )

            _ = try await admin.create(Self.parentType, Self.echoServer("hello", spec: ["serviceName": "hello-echo", "message": "hi"]))
            try await poll("the Pod and the Service exist") {
                let pod = try? await admin.get(.pod, namespace: "default", name: "hello-pod")
                let service = try? await admin.get(.service, namespace: "default", name: "hello-echo")
                return pod != nil && service != nil
            }
            try await poll("the status is written through the status subresource") {
                let parent = try await admin.get(Self.parentType, namespace: "default", name: "hello")
                return parent.json[path: "status", "podPhase"] == "Pending"
                    && parent.json[path: "status", "serviceName"] == "hello-echo"
            }
            let parent = try await admin.get(Self.parentType, namespace: "default", name: "hello")
            #expect(parent.finalizers.contains(member.config.finalizerName))

            // A child the operator may not take over is recorded as a Warning Event: a Service of
            // that name exists and belongs to nobody. (Repeats, which patch the Event, are shown by
            // the missing-rule test.)
            _ = try await admin.create(
                .service,
                KubeObject([
                    "apiVersion": "v1", "kind": "Service", "metadata": ["name": "taken", "namespace": "default"],
                    "spec": ["ports": [["port": 80]]],
                ]))
            _ = try await admin.create(Self.parentType, Self.echoServer("broken", spec: ["serviceName": "taken"]))
            try await poll("the refused child is recorded as a Warning Event") {
                try await Self.warnings(on: "broken", admin).contains { $0.json["reason"] == "InvalidChild" }
            }

            // Deletion: the operator finalizes (removes its finalizer), the parent goes, and the
            // server's garbage collector removes the children.
            _ = try await admin.delete(Self.parentType, namespace: "default", name: "hello")
            try await poll("the parent is finalized and gone") {
                (try? await admin.get(Self.parentType, namespace: "default", name: "hello")) == nil
            }
            try await poll("the children are gone") {
                (try? await admin.get(.pod, namespace: "default", name: "hello-pod")) == nil
            }
            #expect(try await Self.warnings(on: "hello", admin).isEmpty, "no permission was missing")
            #expect(member.statistics.failedSyncs >= 1, "only the broken parent failed")
        }
    }

    /// The generated rules without `create` on Services: the operator still starts (it may list
    /// and watch them) but cannot create the Service, and says so on the parent.
    static func withoutServiceCreate(_ config: OperatorConfig) -> [RBACRule] {
        var rules = config.rbacRules()
        for index in rules.indices where rules[index].resources.contains("services") {
            rules[index].resources.removeAll { $0 == "services" }
        }
        rules.append(RBACRule(apiGroups: [""], resources: ["services"], verbs: ["get", "list", "watch", "update", "patch", "delete"]))
        return rules
    }

    /// The generated rules without the status subresource.
    static func withoutStatus(_ config: OperatorConfig) -> [RBACRule] {
        config.rbacRules().filter { !$0.resources.contains { $0.hasSuffix("/status") } }
    }

    @Test(
        "a missing rule fails with the 403 recorded as a Warning Event on the parent",
        arguments: [
            (
                "create services",
                "services is forbidden: User \"\(operatorUser)\" cannot create resource \"services\" in API group \"\" in the namespace \"default\""
            ),
            (
                "patch status",
                "echoservers.example.roperator.io \"p\" is forbidden: User \"\(operatorUser)\" cannot patch resource \"echoservers/status\" in API group \"example.roperator.io\" in the namespace \"default\""
            ),
        ])
    func missingRuleIsSurfaced(missing: String, message: String) async throws {
        try await Self.withRestrictedOperator(rules: { config in
            missing == "create services" ? Self.withoutServiceCreate(config) : Self.withoutStatus(config)
        }) { _, admin, member in
            _ = try await admin.create(Self.parentType, Self.echoServer("p", spec: ["serviceName": "p-echo", "message": "hi"]))
            // Recorded (create), and each retry counted on the same Event (patch).
            try await poll("the 403 is recorded on the parent and its repeat counted") {
                try await Self.warnings(on: "p", admin).contains {
                    $0.json["reason"] == "Forbidden" && ($0.json["count"]?.intValue ?? 0) >= 2
                }
            }
            let event = try #require(try await Self.warnings(on: "p", admin).first { $0.json["reason"] == "Forbidden" })
            #expect(event.json["message"]?.stringValue == message)
            #expect(member.statistics.failedSyncs > 0)
            if missing == "create services" {
                #expect(try await admin.list(.service, namespace: "default").items.isEmpty, "nothing was created behind RBAC's back")
            } else {
                let parent = try await admin.get(Self.parentType, namespace: "default", name: "p")
                #expect(parent.json["status"] == nil || parent.json[path: "status", "podPhase"] == nil)
            }
        }
    }

    @Test("with leader election the generated rules let it take the Lease; a create limited by name would not")
    func leaderElectionWithGeneratedRules() async throws {
        let elect: (OperatorConfig) -> OperatorConfig = { $0.leaderElection(leaseName: "echo-leader") }
        try await Self.withRestrictedOperator(rules: { $0.rbacRules() }, configure: elect) { _, admin, member in
            try await poll("the restricted operator leads") { member.isLeader }
            let lease = try await admin.get(.lease, namespace: "default", name: "echo-leader")
            #expect(lease.json[path: "spec", "holderIdentity"]?.stringValue?.isEmpty == false)
            _ = try await admin.create(Self.parentType, Self.echoServer("led", spec: ["serviceName": "led-echo"]))
            try await poll("the leader syncs") { (try? await admin.get(.pod, namespace: "default", name: "led-pod")) != nil }
        }
        // The rules as generated before: `create` limited by the Lease's name, which a create never matches.
        let namedCreate: (OperatorConfig) -> [RBACRule] = { config in
            config.rbacRules().filter { !($0.resources == ["leases"] && $0.resourceNames.isEmpty) }.map { rule in
                var rule = rule
                if rule.resources == ["leases"] { rule.verbs = ["get", "create", "update"] }
                return rule
            }
        }
        let logs = LogCapture()
        try await Self.withRestrictedOperator(rules: namedCreate, configure: elect, logs: logs) { _, _, member in
            try await poll("the refused Lease creation is logged") {
                // (Metadata is printed escaped, so the quotes around "leases" are not matched.)
                logs.all.contains {
                    $0.hasPrefix("warning") && $0.contains("leases.coordination.k8s.io is forbidden")
                        && $0.contains("cannot create resource")
                }
            }
            #expect(!member.isLeader)
        }
    }

    @Test("without list on a child type the operator never becomes ready")
    func missingListKeepsItUnready() async throws {
        let rules: (OperatorConfig) -> [RBACRule] = { config in
            config.rbacRules().map { rule in
                var rule = rule
                if rule.resources.contains("pods") { rule.verbs.removeAll { $0 == "list" } }
                return rule
            }
        }
        let logs = LogCapture()
        try await Self.withRestrictedOperator(rules: rules, waitForReady: false, logs: logs) { _, _, member in
            // The informer's list is refused and retried; each refusal is logged as a warning.
            try await poll("the refused list of Pods is logged") {
                logs.all.contains { $0.hasPrefix("warning") && $0.contains("pods is forbidden") }
            }
            let refused = await #expect(throws: KubeAPIError.self) {
                _ = try await member.client.list(.pod, namespace: nil)
            }
            #expect(
                refused?.message
                    == "pods is forbidden: User \"\(Self.operatorUser)\" cannot list resource \"pods\" in API group \"\" at the cluster scope"
            )
            #expect(!member.isReady)
        }
    }
}
