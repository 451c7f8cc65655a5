import RoperatorClient

/// Documents shaped like what an operator reads from the API server, built in code so the
/// benchmark needs no fixture files.
enum SampleDocuments {
    /// One Pod, about 3 KB serialized: metadata with labels, annotations and owner references,
    /// two containers with env, ports, probes and resources, and a status with conditions.
    static func pod(index: Int) -> JSONValue {
        let name = "web-\(index)-7d9f8c6b5-x\(index % 97)k2p"
        func container(_ n: String, image: String) -> JSONValue {
            [
                "name": .string(n),
                "image": .string(image),
                "imagePullPolicy": "IfNotPresent",
                "args": ["--port=8080", "--log-level=info", "--metrics-addr=:9090"],
                "env": .array(
                    (0..<4).map { i in
                        ["name": .string("ENV_VAR_\(i)"), "value": .string("value-\(i)-\(index)")]
                    }),
                "ports": [
                    ["containerPort": 8080, "name": "http", "protocol": "TCP"],
                    ["containerPort": 9090, "name": "metrics", "protocol": "TCP"],
                ],
                "readinessProbe": [
                    "httpGet": ["path": "/healthz", "port": 8080, "scheme": "HTTP"],
                    "initialDelaySeconds": 5, "periodSeconds": 10, "timeoutSeconds": 1,
                    "successThreshold": 1, "failureThreshold": 3,
                ],
                "resources": [
                    "limits": ["cpu": "500m", "memory": "256Mi"],
                    "requests": ["cpu": "100m", "memory": "128Mi"],
                ],
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "volumeMounts": [
                    ["mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-abcde", "readOnly": true]
                ],
            ]
        }
        func condition(_ type: String) -> JSONValue {
            ["type": .string(type), "status": "True", "lastProbeTime": nil, "lastTransitionTime": "2026-11-25T03:04:05Z"]
        }
        return [
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": [
                "name": .string(name),
                "namespace": "production",
                "uid": .string("5f0c3c1e-9a7b-4c1d-8e2f-\(String(100_000_000_000 + index))"),
                "resourceVersion": .string(String(1_234_567 + index)),
                "generation": 1,
                "creationTimestamp": "2026-11-25T03:04:05Z",
                "labels": ["app": "web", "pod-template-hash": "7d9f8c6b5", "tier": "frontend", "version": "v1.2.3"],
                "annotations": [
                    "kubectl.kubernetes.io/restartedAt": "2026-11-24T10:00:00Z",
                    "prometheus.io/scrape": "true",
                    "description": "A line with \"quotes\", a tab\tand unicode: caf\u{e9} \u{1F680}",
                ],
                "ownerReferences": [
                    [
                        "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9f8c6b5",
                        "uid": "0b9d8e7f-1234-4abc-9def-0123456789ab", "controller": true, "blockOwnerDeletion": true,
                    ]
                ],
            ],
            "spec": [
                "containers": [
                    container("web", image: "registry.example.com/web:1.2.3"),
                    container("sidecar", image: "registry.example.com/proxy:0.9.1"),
                ],
                "dnsPolicy": "ClusterFirst",
                "enableServiceLinks": true,
                "nodeName": .string("node-\(index % 17)"),
                "priority": 0,
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": ["runAsNonRoot": true, "runAsUser": 1000, "fsGroup": 2000],
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                    ["effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300]
                ],
            ],
            "status": [
                "phase": "Running",
                "hostIP": "10.0.0.12",
                "podIP": .string("10.244.\(index % 250).\(index % 199)"),
                "qosClass": "Burstable",
                "startTime": "2026-11-25T03:04:05Z",
                "conditions": [condition("Initialized"), condition("Ready"), condition("ContainersReady"), condition("PodScheduled")],
                "containerStatuses": [
                    [
                        "name": "web", "ready": true, "restartCount": 0, "started": true,
                        "image": "registry.example.com/web:1.2.3",
                        "imageID": "registry.example.com/web@sha256:3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a",
                        "containerID": "containerd://9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
                        "state": ["running": ["startedAt": "2026-11-25T03:04:06Z"]],
                        "lastState": [:],
                    ]
                ],
                "cpuUsageRatio": 0.125,
            ],
        ]
    }

    /// A PodList of about 1 MB.
    static func podList(targetBytes: Int = 1 << 20) -> JSONValue {
        let perPod = pod(index: 0).serializedBytes().count
        let count = max(1, targetBytes / (perPod + 1))
        return [
            "apiVersion": "v1",
            "kind": "PodList",
            "metadata": ["resourceVersion": "99999999", "continue": ""],
            "items": .array((0..<count).map { pod(index: $0) }),
        ]
    }
}
