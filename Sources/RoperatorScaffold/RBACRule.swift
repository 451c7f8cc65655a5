/// One rule of the operator's ClusterRole, with the comment saying why the runtime needs it.
struct RBACRule: Sendable, Equatable {
    var why: String
    var apiGroups: [String]
    var resources: [String]
    var verbs: [String]
}

extension OperatorScaffold {
    /// A child type the generated operator writes: its API group and plural.
    struct ChildResource: Sendable, Equatable {
        var group: String
        var plural: String
    }

    /// The child types of the generated `OperatorConfig` (`.withChild(.configMap, .replace)`).
    var children: [ChildResource] { [ChildResource(group: "", plural: "configmaps")] }

    /// What the runtime does with the generated `OperatorConfig`, as RBAC rules (see
    /// docs/deploying.md, "The RBAC an operator needs").
    var rbacRules: [RBACRule] {
        var rules = [
            RBACRule(
                why: "The parent type: watched through its cache; the finalizer is added and removed with patches.",
                apiGroups: [group], resources: [plural], verbs: ["get", "list", "watch", "update", "patch"]),
            RBACRule(
                why: "The status, written through the status subresource.",
                apiGroups: [group], resources: ["\(plural)/status"], verbs: ["get", "update", "patch"]),
            RBACRule(
                why:
                    "Children carry an ownerReference with blockOwnerDeletion, which clusters enforcing owner-reference permissions allow only with this.",
                apiGroups: [group], resources: ["\(plural)/finalizers"], verbs: ["update"]),
        ]
        for child in children {
            rules.append(
                RBACRule(
                    why: "A child type: watched, created, updated, patched and deleted.",
                    apiGroups: [child.group], resources: [child.plural],
                    verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]))
        }
        rules += [
            RBACRule(
                why: "Warning Events on parents; repeats are patched.",
                apiGroups: [""], resources: ["events"], verbs: ["create", "patch"]),
            RBACRule(
                why: "Reads the parent's CRD at start to see whether it has a status subresource.",
                apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get"]),
            RBACRule(
                why: "Leader election: reads, creates and renews the Lease in the operator's namespace.",
                apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"]),
        ]
        return rules
    }
}
