extension ResourceRegistry {
    /// The built-in kinds, in discovery order.
    static let builtInResources: [ResourceInfo] = {
        let noCollection = ResourceInfo.standardVerbs.filter { $0 != "deletecollection" }
        return [
            ResourceInfo(
                group: "", version: "v1", kind: "Namespace", plural: "namespaces", shortNames: ["ns"],
                namespaced: false, verbs: noCollection, hasStatus: true),
            ResourceInfo(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"]),
            ResourceInfo(group: "", version: "v1", kind: "Secret", plural: "secrets"),
            ResourceInfo(
                group: "", version: "v1", kind: "Service", plural: "services", shortNames: ["svc"],
                categories: ["all"], verbs: noCollection, hasStatus: true),
            ResourceInfo(
                group: "", version: "v1", kind: "Pod", plural: "pods", shortNames: ["po"], categories: ["all"],
                hasStatus: true),
            ResourceInfo(
                group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"]),
            ResourceInfo(group: "", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"]),
            ResourceInfo(
                group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims",
                shortNames: ["pvc"], categories: ["all"], hasStatus: true),
            ResourceInfo(
                group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", shortNames: ["pv"],
                namespaced: false, hasStatus: true),
            ResourceInfo(
                group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints",
                shortNames: ["ep"]),
            ResourceInfo(
                group: "", version: "v1", kind: "Node", plural: "nodes", shortNames: ["no"], namespaced: false,
                hasStatus: true),
            ResourceInfo(
                group: "apps", version: "v1", kind: "Deployment", plural: "deployments", shortNames: ["deploy"],
                categories: ["all"], hasStatus: true, scale: .builtIn),
            ResourceInfo(
                group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"],
                categories: ["all"], hasStatus: true, scale: .builtIn),
            ResourceInfo(
                group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"],
                categories: ["all"], hasStatus: true),
            ResourceInfo(
                group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"],
                categories: ["all"], hasStatus: true, scale: .builtIn),
            ResourceInfo(group: "apps", version: "v1", kind: "ControllerRevision", plural: "controllerrevisions"),
            ResourceInfo(
                group: "batch", version: "v1", kind: "Job", plural: "jobs", categories: ["all"], hasStatus: true),
            ResourceInfo(
                group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", shortNames: ["cj"],
                categories: ["all"], hasStatus: true),
            ResourceInfo(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases"),
            ResourceInfo(group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"]),
            ResourceInfo(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles"),
            ResourceInfo(
                group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings"),
            ResourceInfo(
                group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles",
                namespaced: false),
            ResourceInfo(
                group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding",
                plural: "clusterrolebindings", namespaced: false),
            ResourceInfo(
                group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", shortNames: ["ing"],
                hasStatus: true),
            ResourceInfo(
                group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies",
                shortNames: ["netpol"]),
            ResourceInfo(
                group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets",
                shortNames: ["pdb"], hasStatus: true),
            ResourceInfo(
                group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler",
                plural: "horizontalpodautoscalers", shortNames: ["hpa"], categories: ["all"], hasStatus: true),
            ResourceInfo(
                group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview",
                plural: "selfsubjectaccessreviews", namespaced: false, verbs: ["create"]),
            ResourceInfo(
                group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview",
                plural: "selfsubjectrulesreviews", namespaced: false, verbs: ["create"]),
            ResourceInfo(
                group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
                plural: "customresourcedefinitions", shortNames: ["crd", "crds"], categories: ["api-extensions"],
                namespaced: false, hasStatus: true),
        ]
    }()
}
