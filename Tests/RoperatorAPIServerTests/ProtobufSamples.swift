import RoperatorClient
import Testing

/// Objects of many built-in kinds, written with only fields their protobuf messages model, for
/// the protobuf round-trip tests. `path` is the collection to create them in (`nil` when this
/// server does not serve the kind; the codec is still checked).
struct ProtobufSample: Sendable, CustomTestStringConvertible {
    var kind: String
    var path: String?
    var yaml: String

    var testDescription: String { kind }

    var object: JSONValue {
        get throws { try JSONValue(yaml: yaml) }
    }

    static let all: [ProtobufSample] = [
        ProtobufSample(
            kind: "Deployment", path: "/apis/apps/v1/namespaces/default/deployments",
            yaml: """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: default, labels: {app: web}, annotations: {note: x}}
                spec:
                  replicas: 0
                  selector: {matchLabels: {app: web}}
                  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: "25%", maxUnavailable: 1}}
                  revisionHistoryLimit: 5
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      automountServiceAccountToken: false
                      terminationGracePeriodSeconds: 0
                      containers:
                      - name: app
                        image: nginx:1.27
                        args: ["--port", "8080"]
                        ports: [{containerPort: 8080, name: http, protocol: TCP}]
                        env: [{name: MODE, value: prod}, {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                        resources: {limits: {cpu: 500m, memory: 256Mi}, requests: {cpu: 100m}}
                        readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}
                        securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: false}
                      volumes:
                      - name: scratch
                        emptyDir: {}
                      - name: config
                        configMap: {name: settings, defaultMode: 420}
                """),
        ProtobufSample(
            kind: "Service", path: "/api/v1/namespaces/default/services",
            yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec:
                  type: ClusterIP
                  selector: {app: web}
                  sessionAffinity: None
                  ports:
                  - {name: http, port: 80, targetPort: 8080, protocol: TCP}
                  - {name: metrics, port: 9090, targetPort: metrics, protocol: TCP}
                """),
        ProtobufSample(
            kind: "Pod", path: "/api/v1/namespaces/default/pods",
            yaml: """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: worker
                  namespace: default
                  deletionGracePeriodSeconds: 0
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: "1234", controller: true, blockOwnerDeletion: false}]
                  finalizers: [example.com/keep]
                spec:
                  containers:
                  - name: c
                    image: busybox
                    command: [sleep, "3600"]
                    resources: {requests: {cpu: "1", memory: 1Gi, ephemeral-storage: 2G}}
                  tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 30}]
                  securityContext: {runAsUser: 1000, supplementalGroups: [1, 2]}
                status:
                  phase: Running
                  startTime: "2024-05-01T10:00:05Z"
                  conditions: [{type: Ready, status: "True", lastTransitionTime: "2024-05-01T10:00:06Z"}]
                  containerStatuses:
                  - {name: c, ready: true, restartCount: 2, image: busybox, imageID: "sha256:abc", started: true, state: {running: {startedAt: "2024-05-01T10:00:05Z"}}}
                """),
        ProtobufSample(
            kind: "Job", path: "/apis/batch/v1/namespaces/default/jobs",
            yaml: """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: once, namespace: default}
                spec:
                  backoffLimit: 0
                  completions: 3
                  parallelism: 1
                  ttlSecondsAfterFinished: 60
                  template:
                    spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
                """),
        ProtobufSample(
            kind: "CronJob", path: "/apis/batch/v1/namespaces/default/cronjobs",
            yaml: """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: tick, namespace: default}
                spec:
                  schedule: "*/5 * * * *"
                  suspend: false
                  concurrencyPolicy: Forbid
                  jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: c, image: busybox}]}}}}
                """),
        ProtobufSample(
            kind: "Ingress", path: "/apis/networking.k8s.io/v1/namespaces/default/ingresses",
            yaml: """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: ing, namespace: default}
                spec:
                  ingressClassName: nginx
                  tls: [{hosts: [a.example.com], secretName: tls}]
                  rules:
                  - host: a.example.com
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                      - {path: /api, pathType: Exact, backend: {service: {name: api, port: {name: http}}}}
                """),
        ProtobufSample(
            kind: "Role", path: "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
            yaml: """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: reader, namespace: default}
                rules:
                - {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
                - {apiGroups: [apps], resources: [deployments], resourceNames: [web], verbs: [get]}
                """),
        ProtobufSample(
            kind: "ClusterRoleBinding", path: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            yaml: """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: admins}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                subjects:
                - {kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}
                - {kind: ServiceAccount, name: robot, namespace: default}
                """),
        ProtobufSample(
            kind: "PodDisruptionBudget", path: "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
            yaml: """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: pdb, namespace: default}
                spec:
                  minAvailable: "50%"
                  selector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
                  unhealthyPodEvictionPolicy: AlwaysAllow
                """),
        ProtobufSample(
            kind: "HorizontalPodAutoscaler", path: "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers",
            yaml: """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: hpa, namespace: default}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 1
                  maxReplicas: 10
                  metrics:
                  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}
                  - {type: Pods, pods: {metric: {name: qps}, target: {type: AverageValue, averageValue: 1k}}}
                  behavior: {scaleDown: {stabilizationWindowSeconds: 300, policies: [{type: Percent, value: 10, periodSeconds: 60}]}}
                """),
        ProtobufSample(
            kind: "Lease", path: "/apis/coordination.k8s.io/v1/namespaces/default/leases",
            yaml: """
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata: {name: leader, namespace: default}
                spec:
                  holderIdentity: pod-a
                  leaseDurationSeconds: 15
                  acquireTime: "2024-05-01T10:00:00.123456Z"
                  renewTime: "2024-05-01T10:00:10.000000Z"
                  leaseTransitions: 0
                """),
        ProtobufSample(
            kind: "StatefulSet", path: "/apis/apps/v1/namespaces/default/statefulsets",
            yaml: """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: default}
                spec:
                  serviceName: db
                  replicas: 3
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: db, image: postgres, volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]}]}
                  volumeClaimTemplates:
                  - metadata: {name: data}
                    spec: {accessModes: [ReadWriteOnce], storageClassName: "", resources: {requests: {storage: 10Gi}}}
                """),
        ProtobufSample(
            kind: "ConfigMap", path: "/api/v1/namespaces/default/configmaps",
            yaml: """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: default}
                data: {color: blue, empty: ""}
                binaryData: {blob: AAEC/w==}
                immutable: false
                """),
        ProtobufSample(
            kind: "Secret", path: "/api/v1/namespaces/default/secrets",
            yaml: """
                apiVersion: v1
                kind: Secret
                metadata: {name: hidden, namespace: default}
                type: Opaque
                data: {password: czNjcmV0}
                """),
        ProtobufSample(
            kind: "EndpointSlice", path: nil,
            yaml: """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-abc, namespace: default, labels: {kubernetes.io/service-name: web}}
                addressType: IPv4
                endpoints:
                - addresses: [10.0.0.1]
                  conditions: {ready: true, serving: true, terminating: false}
                  nodeName: n1
                  targetRef: {kind: Pod, name: p, namespace: default}
                ports: [{name: http, port: 8080, protocol: TCP}]
                """),
        ProtobufSample(
            kind: "StorageClass", path: nil,
            yaml: """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: fast}
                provisioner: example.com/csi
                parameters: {type: ssd}
                reclaimPolicy: Retain
                allowVolumeExpansion: true
                volumeBindingMode: WaitForFirstConsumer
                mountOptions: [discard]
                """),
        ProtobufSample(
            kind: "CertificateSigningRequest", path: nil,
            yaml: """
                apiVersion: certificates.k8s.io/v1
                kind: CertificateSigningRequest
                metadata: {name: csr}
                spec:
                  request: aGVsbG8=
                  signerName: kubernetes.io/kube-apiserver-client
                  expirationSeconds: 3600
                  usages: [client auth]
                  username: alice
                  groups: ["system:authenticated"]
                  extra: {scopes: [a, b]}
                status:
                  conditions: [{type: Approved, status: "True", reason: ok, lastUpdateTime: "2024-05-01T10:00:00Z"}]
                  certificate: aGVsbG8=
                """),
        ProtobufSample(
            kind: "ValidatingWebhookConfiguration", path: nil,
            yaml: """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingWebhookConfiguration
                metadata: {name: vwc}
                webhooks:
                - name: check.example.com
                  clientConfig: {service: {namespace: default, name: hook, path: /validate, port: 443}, caBundle: aGVsbG8=}
                  rules: [{operations: [CREATE, UPDATE], apiGroups: [apps], apiVersions: [v1], resources: [deployments], scope: Namespaced}]
                  failurePolicy: Fail
                  sideEffects: None
                  admissionReviewVersions: [v1]
                  timeoutSeconds: 5
                  matchConditions: [{name: not-system, expression: "true"}]
                """),
        ProtobufSample(
            kind: "ControllerRevision", path: "/apis/apps/v1/namespaces/default/controllerrevisions",
            yaml: """
                apiVersion: apps/v1
                kind: ControllerRevision
                metadata: {name: db-1, namespace: default}
                revision: 1
                data: {spec: {template: {metadata: {labels: {app: db}}}}}
                """),
    ]
}
