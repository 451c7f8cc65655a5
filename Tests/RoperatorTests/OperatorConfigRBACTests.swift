import Roperator
import Testing

@Suite struct OperatorConfigRBACTests {
    let parent = K8sType(group: "example.com", version: "v1", kind: "EchoServer", plural: "echoservers")

    @Test func rulesCoverParentChildrenEventsAndTheCRD() {
        let config = OperatorConfig(name: "echo", parent: parent).withChild(.deployment).withChild(.service).withChild(.configMap)
        let crud = ["get", "list", "watch", "create", "update", "patch", "delete"]
        #expect(
            config.rbacRules() == [
                RBACRule(apiGroups: ["example.com"], resources: ["echoservers"], verbs: ["get", "list", "watch", "update", "patch"]),
                RBACRule(apiGroups: ["example.com"], resources: ["echoservers/status"], verbs: ["update", "patch"]),
                RBACRule(apiGroups: ["example.com"], resources: ["echoservers/finalizers"], verbs: ["update"]),
                RBACRule(apiGroups: ["apps"], resources: ["deployments"], verbs: crud),
                RBACRule(apiGroups: [""], resources: ["services", "configmaps"], verbs: crud),
                RBACRule(apiGroups: [""], resources: ["events"], verbs: ["create", "patch"]),
                RBACRule(
                    apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"],
                    resourceNames: ["echoservers.example.com"], verbs: ["get"]),
            ])
    }

    @Test func leaderElectionAddsItsLeaseOnly() {
        let config = OperatorConfig(name: "echo", parent: .configMap).withChild(.secret).leaderElection(leaseName: "echo-leader")
        let rules = config.rbacRules()
        #expect(
            rules.suffix(2) == [
                RBACRule(
                    apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["echo-leader"], verbs: ["get", "update"]),
                // A create is authorized before the object has a name: resourceNames cannot limit it.
                RBACRule(apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"]),
            ])
        #expect(!rules.contains { $0.apiGroups == ["apiextensions.k8s.io"] }, "a built-in parent needs no CRD")
    }

    @Test func clusterRoleYAMLReadsBack() throws {
        let config = OperatorConfig(name: "echo", parent: parent).withChild(.pod)
        let role = try JSONValue(yaml: config.rbacClusterRoleYAML())
        #expect(role["kind"] == "ClusterRole")
        #expect(role[path: "metadata", "name"] == "echo")
        #expect(role["rules"] == .array(config.rbacRules().map(\.json)))
        #expect(config.rbacClusterRole(name: "other").name == "other")
    }
}
