import RoperatorClient
import RoperatorAPIServer
import Testing

/// Built-in kinds get kube-apiserver's defaults, canonical quantities, and `generation` only where
/// kube-apiserver sets it.
@Suite("Built-in defaults")
struct BuiltInDefaultsTests {
    @Test func deploymentGetsTheDefaultsOfAKubeAPIServer() async throws {
        try await withTestServer { _, client in
            let response = try await client.request(
                .POST, "/apis/apps/v1/namespaces/default/deployments",
                json: deployment("web", cpu: "0.5", memory: "1000Mi"))
            #expect(response.status == 201, "\(response.text)")
            let created = try response.json
            let spec = try #require(created["spec"])
            #expect(spec["replicas"] == 1)
            #expect(spec["strategy"] == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]])
            #expect(spec["revisionHistoryLimit"] == 10)
            #expect(spec["progressDeadlineSeconds"] == 600)
            let pod = try #require(spec[path: "template", "spec"])
            #expect(pod["restartPolicy"] == "Always")
            #expect(pod["dnsPolicy"] == "ClusterFirst")
            #expect(pod["schedulerName"] == "default-scheduler")
            #expect(pod["securityContext"] == .emptyObject)
            #expect(pod["terminationGracePeriodSeconds"] == 30)
            #expect(pod["enableServiceLinks"] == nil, "only pods get enableServiceLinks")
            let container = try #require(pod["containers"]?[0])
            #expect(container["imagePullPolicy"] == "IfNotPresent")
            #expect(container["terminationMessagePath"] == "/dev/termination-log")
            #expect(container["terminationMessagePolicy"] == "File")
            #expect(container["ports"] == [["containerPort": 80, "name": "http", "protocol": "TCP"]])
            #expect(container[path: "resources", "requests"] == ["cpu": "500m", "memory": "1000Mi"])
            #expect(created[path: "metadata", "generation"] == 1)

            // The defaults hold on read and survive an update that leaves them out.
            var changed = deployment("web", image: "nginx", cpu: "1.5Gi") // an odd CPU, but a quantity
            changed[path: "metadata", "resourceVersion"] = created[path: "metadata", "resourceVersion"]
            let updated = try await client.request(.PUT, "/apis/apps/v1/namespaces/default/deployments/web", json: changed).json
            let updatedContainer = try #require(updated[path: "spec", "template", "spec", "containers"]?[0])
            #expect(updatedContainer["imagePullPolicy"] == "Always", "no tag pulls always")
            #expect(updatedContainer[path: "resources", "requests", "cpu"] == "1536Mi")
            #expect(updated[path: "spec", "replicas"] == 1)
            #expect(updated[path: "metadata", "generation"] == 2)
        }
    }

    @Test func generationOnlyWhereKubeAPIServerSetsIt() async throws {
        try await withTestServer { _, client in
            let cm = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("c")).json
            #expect(cm[path: "metadata", "generation"] == nil)
            let secret = try await client.request(
                .POST, "/api/v1/namespaces/default/secrets",
                json: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "stringData": ["a": "b"]]
            ).json
            #expect(secret[path: "metadata", "generation"] == nil)
            #expect(secret["type"] == "Opaque")
            #expect(secret["data"] == ["a": "Yg=="])
            let ns = try await client.request(
                .POST, "/api/v1/namespaces", json: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "made"]]
            ).json
            #expect(ns[path: "metadata", "generation"] == nil)
            #expect(ns[path: "metadata", "labels", "kubernetes.io/metadata.name"] == "made")
            #expect(ns[path: "spec", "finalizers"] == ["kubernetes"])
            #expect(ns[path: "status", "phase"] == "Active")
        }
    }

    @Test func serviceGetsAnAddressAndTheDefaults() async throws {
        try await withTestServer { _, client in
            let created = try await client.request(.POST, "/api/v1/namespaces/default/services", json: service("web")).json
            let spec = try #require(created["spec"])
            #expect(spec["type"] == "ClusterIP")
            #expect(spec["sessionAffinity"] == "None")
            #expect(spec["internalTrafficPolicy"] == "Cluster")
            #expect(spec["ipFamilies"] == ["IPv4"])
            #expect(spec["ipFamilyPolicy"] == "SingleStack")
            let ip = try #require(spec["clusterIP"]?.stringValue)
            #expect(spec["clusterIPs"] == [.string(ip)])
            #expect(spec["ports"] == [["port": 80, "protocol": "TCP", "targetPort": 80]])
            #expect(created[path: "metadata", "generation"] == nil)

            // An update that leaves the allocated fields out keeps them.
            var replaced = service("web", port: 8080)
            replaced[path: "metadata", "resourceVersion"] = created[path: "metadata", "resourceVersion"]
            let updated = try await client.request(.PUT, "/api/v1/namespaces/default/services/web", json: replaced).json
            #expect(updated[path: "spec", "clusterIP"] == .string(ip))
            #expect(updated[path: "spec", "ipFamilies"] == ["IPv4"])

            var nodePort = service("np")
            nodePort[path: "spec", "type"] = "NodePort"
            let np = try await client.request(.POST, "/api/v1/namespaces/default/services", json: nodePort).json
            let allocated = try #require(np[path: "spec", "ports"]?[0]?["nodePort"]?.intValue)
            #expect((30000...32767).contains(allocated))
            #expect(np[path: "spec", "externalTrafficPolicy"] == "Cluster")
        }
    }

    @Test func podsJobsAndOtherWorkloads() async throws {
        try await withTestServer { _, client in
            let container: JSONValue = [
                "name": "c", "image": "busybox:latest",
                "resources": ["limits": ["cpu": "2", "memory": "128974848"]],
                "livenessProbe": ["httpGet": ["port": 8080]],
            ]
            let pod = try await client.request(
                .POST, "/api/v1/namespaces/default/pods",
                json: ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"], "spec": ["containers": [container]]]
            ).json
            let c = try #require(pod[path: "spec", "containers"]?[0])
            #expect(c["imagePullPolicy"] == "Always")
            #expect(c[path: "resources", "requests"] == ["cpu": "2", "memory": "128974848"])
            #expect(
                c["livenessProbe"] == [
                    "httpGet": ["port": 8080, "path": "/", "scheme": "HTTP"], "timeoutSeconds": 1, "periodSeconds": 10,
                    "successThreshold": 1, "failureThreshold": 3,
                ])
            #expect(pod[path: "spec", "enableServiceLinks"] == true)
            #expect(pod[path: "metadata", "generation"] == nil)

            let template: JSONValue = ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "busybox"]]]]
            let job = try await client.request(
                .POST, "/apis/batch/v1/namespaces/default/jobs",
                json: ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "j"], "spec": ["template": template]]
            ).json
            let uid = try #require(job[path: "metadata", "uid"])
            #expect(job[path: "spec", "completions"] == 1)
            #expect(job[path: "spec", "parallelism"] == 1)
            #expect(job[path: "spec", "backoffLimit"] == 6)
            #expect(job[path: "spec", "completionMode"] == "NonIndexed")
            #expect(job[path: "spec", "selector"] == ["matchLabels": ["batch.kubernetes.io/controller-uid": uid]])
            #expect(job[path: "spec", "template", "metadata", "labels", "job-name"] == "j")
            #expect(job[path: "metadata", "generation"] == 1)

            let cron = try await client.request(
                .POST, "/apis/batch/v1/namespaces/default/cronjobs",
                json: [
                    "apiVersion": "batch/v1", "kind": "CronJob", "metadata": ["name": "cj"],
                    "spec": ["schedule": "*/5 * * * *", "jobTemplate": ["spec": ["template": template]]],
                ]
            ).json
            #expect(cron[path: "spec", "concurrencyPolicy"] == "Allow")
            #expect(cron[path: "spec", "successfulJobsHistoryLimit"] == 3)
            #expect(cron[path: "spec", "jobTemplate", "spec", "template", "spec", "dnsPolicy"] == "ClusterFirst")

            let sts = try await client.request(
                .POST, "/apis/apps/v1/namespaces/default/statefulsets",
                json: [
                    "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "s"],
                    "spec": [
                        "selector": ["matchLabels": ["a": "b"]],
                        "template": ["metadata": ["labels": ["a": "b"]], "spec": ["containers": [["name": "c", "image": "x:1"]]]],
                    ],
                ]
            ).json
            #expect(sts[path: "spec", "podManagementPolicy"] == "OrderedReady")
            #expect(sts[path: "spec", "updateStrategy"] == ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])

            let pvc = try await client.request(
                .POST, "/api/v1/namespaces/default/persistentvolumeclaims",
                json: [
                    "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data"],
                    "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1.5Gi"]]],
                ]
            ).json
            #expect(pvc[path: "spec", "volumeMode"] == "Filesystem")
            #expect(pvc[path: "spec", "resources", "requests", "storage"] == "1536Mi")
            #expect(pvc[path: "status", "phase"] == "Pending")
        }
    }

    @Test(arguments: [
        ("0.5", "500m"), ("1000Mi", "1000Mi"), ("1024Mi", "1Gi"), ("1.5Gi", "1536Mi"), ("100000", "100k"),
        ("1500", "1500"), ("1000m", "1"), ("0", "0"), ("1e3", "1e3"), ("12e6", "12e6"), ("0.5Ki", "512"),
        ("0.1Ki", "102400m"), ("+2", "2"), ("-0.5", "-500m"), ("0.0000000001", "1n"), ("128974848", "128974848"),
        ("129e6", "129e6"), ("123Mi", "123Mi"), ("5G", "5G"),
    ])
    func quantitiesAreCanonical(input: String, canonical: String) throws {
        #expect(try Quantity(input).canonical == canonical)
    }

    @Test(arguments: ["", "abc", "1.2.3", "1Kb", "e3", "1e", "--1"])
    func malformedQuantitiesAreRefused(input: String) {
        #expect(throws: QuantityError.self) { try Quantity(input) }
    }
}
