import Testing
@testable import Roperator

@Suite struct OperatorConfigTests {
    let parent = K8sType(group: "example.com", version: "v1", kind: "EchoServer", plural: "echoservers")

    @Test func defaults() throws {
        let config = OperatorConfig(name: "echo-operator", parent: parent)
        #expect(config.concurrency == 16)
        #expect(config.namespace == nil)
        #expect(config.parentSelector == nil)
        #expect(config.resyncPeriod == nil)
        #expect(config.metricsPort == nil)
        #expect(config.metricsHost == "0.0.0.0")
        #expect(config.leaderElection == nil)
        #expect(config.backoff == .default)
        #expect(config.finalizerName == "echo-operator.roperator.io/finalizer")
        #expect(config.children.isEmpty)
        try config.validate()
    }

    @Test func builderSetsEverything() throws {
        let config = OperatorConfig(name: "echo", parent: parent)
            .withChild(.deployment, .replace)
            .withChild(.pod, .recreate)
            .withChild(.deployment, .serverSideApply)
            .namespace("apps")
            .parentSelector("tier=web")
            .concurrency(3)
            .backoff(Backoff(initial: .milliseconds(10), max: .seconds(1)))
            .resyncPeriod(.seconds(60))
            .finalizerName("example.com/cleanup")
            .metricsPort(9090)
            .leaderElection(leaseName: "echo-leader", namespace: "kube-system")
        #expect(config.children.map(\.type) == [.deployment, .pod])
        #expect(config.childConfig(for: .deployment)?.updateStrategy == .serverSideApply)
        #expect(config.childConfig(for: .pod) == .recreate)
        #expect(config.childConfig(for: .service) == nil)
        #expect(config.childType(apiVersion: "apps/v1", kind: "Deployment") == .deployment)
        #expect(config.namespace == "apps")
        #expect(config.parentSelector == "tier=web")
        #expect(config.concurrency == 3)
        #expect(config.resyncPeriod == .seconds(60))
        #expect(config.finalizerName == "example.com/cleanup")
        #expect(config.metricsPort == 9090)
        let election = try #require(config.leaderElection)
        #expect(election.leaseName == "echo-leader")
        #expect(election.leaseNamespace == "kube-system")
        #expect(election.leaseDuration == .seconds(15))
        #expect(election.renewDeadline == .seconds(10))
        #expect(election.retryPeriod == .seconds(2))
        try config.validate()
    }

    @Test(arguments: [
        ("My Operator!", "my-operator.roperator.io/finalizer"),
        ("___", "operator.roperator.io/finalizer"),
        ("a.b_c", "a-b-c.roperator.io/finalizer"),
        (String(repeating: "x", count: 100), String(repeating: "x", count: 63) + ".roperator.io/finalizer"),
    ])
    func defaultFinalizerIsQualifiedName(name: String, expected: String) throws {
        let finalizer = OperatorConfig.defaultFinalizerName(for: name)
        #expect(finalizer == expected)
        #expect(QualifiedName.problem(with: finalizer) == nil)
        try OperatorConfig(name: name, parent: parent).validate()
    }

    @Test(arguments: ["", "/x", "Example.com/x", "a/b/c", "example.com/-x", "example.com/" + String(repeating: "x", count: 64)])
    func invalidFinalizerRejected(finalizer: String) {
        let config = OperatorConfig(name: "op", parent: parent).finalizerName(finalizer)
        #expect(throws: OperatorConfigError.self) { try config.validate() }
        do {
            try config.validate()
        } catch {
            #expect(error.code == .finalizerName)
        }
    }

    @Test func invalidSettingsRejected() {
        func code(_ config: OperatorConfig) -> OperatorConfigError.Code? {
            do { try config.validate(); return nil } catch { return error.code }
        }
        let base = OperatorConfig(name: "op", parent: parent)
        #expect(code(base.concurrency(0)) == .concurrency)
        #expect(code(base.resyncPeriod(.zero)) == .resyncPeriod)
        #expect(code(base.metricsPort(70000)) == .metricsPort)
        #expect(code(base.metricsHost("")) == .metricsPort)
        #expect(code(base.backoff(Backoff(initial: .seconds(10), max: .seconds(1)))) == .backoff)
        #expect(code(base.leaderElection(LeaderElectionConfig(leaseName: "l", renewDeadline: .seconds(20)))) == .leaderElection)
        // The Lease stores whole seconds: below one second there would be nothing to store.
        #expect(
            code(
                base.leaderElection(
                    LeaderElectionConfig(
                        leaseName: "l", leaseDuration: .milliseconds(900), renewDeadline: .milliseconds(500),
                        retryPeriod: .milliseconds(100)))) == .leaderElection)
        #expect(
            code(
                base.leaderElection(
                    LeaderElectionConfig(
                        leaseName: "l", leaseDuration: .seconds(2), renewDeadline: .milliseconds(1500),
                        retryPeriod: .milliseconds(200)))) == nil)
        #expect(code(base.withChild(parent, .replace)) == .childType)
        #expect(code(OperatorConfig(name: "", parent: parent)) == .emptyName)
    }
}
