extension OperatorScaffold {
    /// The CRD, written from ``specSource`` and ``statusSource`` by hand.
    var crdYAML: String {
        """
        # The \(kind) CustomResourceDefinition, written from \(kind)Spec and \(kind)Status: keep them in step.
        # Install it with: swift run \(name) --print-crd | kubectl apply -f -
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: \(plural).\(group)
        spec:
          group: \(group)
          scope: Namespaced
          names:
            kind: \(kind)
            listKind: \(kind)List
            plural: \(plural)
            singular: \(lowerKind)
          versions:
            - name: \(version)
              served: true
              storage: true
              subresources:
                status: {}
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      required: [message]
                      properties:
                        message: {type: string}
                    status:
                      type: object
                      properties:
                        configMap: {type: string}
                        message: {type: string}
                        observedGeneration: {type: integer, format: int64}
                        conditions:
                          type: array
                          items:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true

        """
    }

    /// A sample parent for `kubectl apply`.
    var sampleYAML: String {
        """
        apiVersion: \(apiVersion)
        kind: \(kind)
        metadata:
          name: sample
          namespace: default
        spec:
          message: Hello from \(name)

        """
    }

    /// The operator's namespace, ServiceAccount, ClusterRole (``rbacRules``) and binding.
    var rbacYAML: String {
        func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        let rules = rbacRules.map { rule in
            """
              # \(rule.why)
              - apiGroups: \(list(rule.apiGroups))
                resources: \(list(rule.resources))
                verbs: \(list(rule.verbs))
            """
        }.joined(separator: "\n")
        return """
            # The identity \(name) runs as and what it may do, derived from \(kind).config():
            # the parent \(plural).\(group), its status, the ConfigMap children, Events and the leader-election Lease.
            apiVersion: v1
            kind: Namespace
            metadata:
              name: \(name)
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: \(name)
              namespace: \(name)
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: \(name)
            rules:
            \(rules)
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: \(name)
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: \(name)
            subjects:
              - kind: ServiceAccount
                name: \(name)
                namespace: \(name)

            """
    }

    /// The Deployment, derived from `<Kind>.config()`: two replicas (leader election on), probes on
    /// the metrics port, a grace period above the runtime's 30 s drain.
    var deploymentYAML: String {
        """
        # \(name), derived from \(kind).config(): leader election is on, so two replicas roll one at a
        # time (the standby takes over when the leader stops); /healthz, /readyz and /metrics on port \(metricsPort).
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          namespace: \(name)
          labels:
            app.kubernetes.io/name: \(name)
        spec:
          replicas: 2
          selector:
            matchLabels:
              app.kubernetes.io/name: \(name)
          template:
            metadata:
              labels:
                app.kubernetes.io/name: \(name)
            spec:
              serviceAccountName: \(name)
              securityContext:
                runAsNonRoot: true
                runAsUser: 65532
              containers:
                - name: operator
                  image: \(name):latest
                  ports:
                    - name: http-metrics
                      containerPort: \(metricsPort)
                  livenessProbe:
                    httpGet: {path: /healthz, port: http-metrics}
                    periodSeconds: 10
                  readinessProbe:
                    httpGet: {path: /readyz, port: http-metrics}
                    periodSeconds: 5
                  resources:
                    requests: {cpu: 50m, memory: 64Mi}
                    limits: {memory: 256Mi}
                  securityContext:
                    allowPrivilegeEscalation: false
                    readOnlyRootFilesystem: true
                    capabilities: {drop: ["ALL"]}
              # On SIGTERM no new sync starts and running ones may finish for up to 30 s.
              terminationGracePeriodSeconds: 40

        """
    }
}
