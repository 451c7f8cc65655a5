import Roperator
import RoperatorClient

/// The objects the runtime benchmarks work on: a parent, the children an operator wants for it,
/// and those children as the API server holds them (server-set metadata, defaulted spec fields,
/// canonical quantities, a status), built in code so the benchmark needs no fixture files.
enum SampleObjects {
    static let parentType = K8sType(group: "bench.roperator.io", version: "v1", kind: "Echo")
    static let parentUID = "7c1f7a52-3d4e-4b8a-9f0e-2a6b5c8d9e01"

    /// The operator configuration: ConfigMap and Deployment children, replaced on change.
    static let config = OperatorConfig(name: "bench", parent: parentType).withChild(.configMap).withChild(.deployment)

    /// The parent, as the server holds it.
    static func parent(index: Int = 1, generation: Int64 = 1) -> KubeObject {
        var parent = KubeObject(type: parentType, namespace: "bench", name: "echo-\(index)")
        parent.uid = index == 1 ? parentUID : "parent-uid-\(index)"
        parent.resourceVersion = "\(1000 + index)"
        parent.generation = generation
        parent.labels = ["app.kubernetes.io/name": "echo", "app.kubernetes.io/instance": "echo-\(index)"]
        parent.json["spec"] = ["replicas": 2, "image": "registry.example.com/echo:1.4.2", "message": "hello"]
        return parent
    }

    /// A ConfigMap of about 1 KB: labels, an annotation and twelve data entries.
    static func configMap(name: String, namespace: String? = "bench", value: String = "v1") -> KubeObject {
        var map = KubeObject(type: .configMap, namespace: namespace, name: name)
        map.labels = ["app.kubernetes.io/name": "echo", "app.kubernetes.io/component": "config"]
        map.annotations = ["bench.roperator.io/checksum": "sha256:4f0b2c9d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a"]
        var data: [String: JSONValue] = [:]
        for i in 0..<12 {
            data["setting-\(i).properties"] = .string("key.\(i)=\(value)-\(String(repeating: "x", count: 40))-\(i)")
        }
        map.json["data"] = .object(data)
        return map
    }

    /// A Deployment as an operator writes it: replicas, selector, one container with ports, env
    /// and resources (CPU in the non-canonical forms `"0.25"` and `0.5`).
    static func deployment(name: String, image: String = "registry.example.com/echo:1.4.2") -> KubeObject {
        var deployment = KubeObject(type: .deployment, name: name)
        deployment.labels = ["app.kubernetes.io/name": "echo", "app.kubernetes.io/component": "server"]
        let selector: JSONValue = ["app.kubernetes.io/name": "echo", "app.kubernetes.io/instance": .string(name)]
        let container: JSONValue = [
            "name": "echo",
            "image": .string(image),
            "args": ["--port=8080", "--message=hello"],
            "ports": [["containerPort": 8080, "name": "http"], ["containerPort": 9090, "name": "metrics"]],
            "env": .array((0..<3).map { ["name": .string("ECHO_SETTING_\($0)"), "value": .string("value-\($0)")] }),
            "resources": [
                "requests": ["cpu": "0.25", "memory": "128Mi"],
                "limits": ["cpu": 0.5, "memory": "256Mi"],
            ],
            "readinessProbe": ["httpGet": ["path": "/healthz", "port": 8080], "periodSeconds": 10],
        ]
        deployment.json["spec"] = [
            "replicas": 2,
            "selector": ["matchLabels": selector],
            "template": ["metadata": ["labels": selector], "spec": ["containers": [container]]],
        ]
        return deployment
    }

    /// `child` (prepared: tracking labels and owner reference injected) as the API server holds it
    /// after creating it.
    static func stored(_ child: KubeObject, uid: String) -> KubeObject {
        var object = child
        object.uid = uid
        object.resourceVersion = "48213"
        object.generation = 1
        object.json[path: "metadata", "creationTimestamp"] = "2026-12-05T10:00:00Z"
        object.json[path: "metadata", "managedFields"] = [
            [
                "manager": "bench", "operation": "Update", "apiVersion": .string(child.apiVersion ?? "v1"),
                "time": "2026-12-05T10:00:00Z", "fieldsType": "FieldsV1",
                "fieldsV1": ["f:metadata": ["f:labels": ["f:app.kubernetes.io/name": [:]]], "f:data": [:]],
            ]
        ]
        guard child.kind == "Deployment" else { return object }
        object.annotations["deployment.kubernetes.io/revision"] = "1"
        object.json[path: "spec", "progressDeadlineSeconds"] = 600
        object.json[path: "spec", "revisionHistoryLimit"] = 10
        object.json[path: "spec", "strategy"] = [
            "type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"],
        ]
        object.json[path: "spec", "template", "metadata", "creationTimestamp"] = .null
        for (key, value) in [
            ("restartPolicy", "Always"), ("dnsPolicy", "ClusterFirst"), ("schedulerName", "default-scheduler"),
        ] {
            object.json[path: "spec", "template", "spec", key] = .string(value)
        }
        object.json[path: "spec", "template", "spec", "terminationGracePeriodSeconds"] = 30
        object.json[path: "spec", "template", "spec", "securityContext"] = [:]
        var containers = object.json[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
        for index in containers.indices {
            var container = containers[index]
            container["imagePullPolicy"] = "IfNotPresent"
            container["terminationMessagePath"] = "/dev/termination-log"
            container["terminationMessagePolicy"] = "File"
            container["ports"] = .array(
                (container["ports"]?.arrayValue ?? []).map { port in
                    var port = port
                    port["protocol"] = "TCP"
                    return port
                })
            // The server stores quantities in canonical form.
            container["resources"] = [
                "requests": ["cpu": "250m", "memory": "128Mi"], "limits": ["cpu": "500m", "memory": "256Mi"],
            ]
            container[path: "readinessProbe", "httpGet", "scheme"] = "HTTP"
            container[path: "readinessProbe", "timeoutSeconds"] = 1
            container[path: "readinessProbe", "successThreshold"] = 1
            container[path: "readinessProbe", "failureThreshold"] = 3
            containers[index] = container
        }
        object.json[path: "spec", "template", "spec", "containers"] = .array(containers)
        object.json["status"] = [
            "observedGeneration": 1, "replicas": 2, "readyReplicas": 2, "availableReplicas": 2, "updatedReplicas": 2,
            "conditions": [
                ["type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"],
                ["type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"],
            ],
        ]
        return object
    }

    /// `count` desired children of `parent()`, ConfigMaps and Deployments alternating, prepared as
    /// the runtime prepares them; with `changed`, each differs from what ``observedChildren(_:)``
    /// holds in one field.
    static func desiredChildren(_ count: Int, changed: Bool = false) -> [KubeObject] {
        (0..<count).map { index in
            index.isMultiple(of: 2)
                ? configMap(name: "echo-config-\(index)", namespace: nil, value: changed ? "v2" : "v1")
                : deployment(name: "echo-\(index)", image: changed ? "registry.example.com/echo:1.5.0" : "registry.example.com/echo:1.4.2")
        }
    }
}
