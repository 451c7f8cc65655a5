import RoperatorClient

/// The labels and owner reference the runtime puts on every child, so children can be found by
/// parent (a label selector on the parent UID) and are garbage-collected with it.
///
/// - `roperator.io/parent-uid`: UID of the parent; the index key of the child caches.
/// - `roperator.io/operator`: the operator name (as a DNS label), so several operators can
///   manage children of the same kinds without seeing each other's.
///
/// Both are set by the runtime and override values a handler puts in these keys.
public enum TrackingLabels {
    /// Label with the parent's UID.
    public static let parentUID = "roperator.io/parent-uid"
    /// Label with the operator name (as a DNS label).
    public static let operatorName = "roperator.io/operator"

    /// The value of ``operatorName`` for an operator called `name`.
    public static func operatorLabelValue(for name: String) -> String {
        OperatorConfig.dnsLabel(from: name)
    }

    /// The controller owner reference pointing at `parent` (blocking its foreground deletion).
    static func controllerReference(to parent: KubeObject) -> OwnerReference {
        OwnerReference(
            apiVersion: parent.apiVersion ?? "", kind: parent.kind ?? "", name: parent.name ?? "", uid: parent.uid ?? "",
            controller: true, blockOwnerDeletion: true)
    }

    /// `child` with the tracking labels and the controller owner reference to `parent` added.
    ///
    /// Owner references the handler set for other owners are kept; one it set for this parent is
    /// replaced. Any other reference marked `controller: true` is demoted, because an object can
    /// have only one controller and the runtime must be it.
    ///
    /// - Throws: ``InvalidChildError`` (``InvalidChildError/Code/invalidOwnerReference``) when
    ///   the handler set a malformed owner reference.
    static func inject(into child: KubeObject, parent: KubeObject, operatorName: String) throws(InvalidChildError) -> KubeObject {
        var result = child
        var labels = result.labels
        labels[parentUID] = parent.uid ?? ""
        labels[Self.operatorName] = operatorLabelValue(for: operatorName)
        result.labels = labels
        var references: [OwnerReference]
        do {
            references = try result.ownerReferencesStrict()
        } catch {
            throw InvalidChildError(.invalidOwnerReference, child: child, "\(error)")
        }
        references.removeAll { $0.uid == parent.uid }
        for index in references.indices where references[index].isController {
            references[index].controller = false
        }
        references.append(controllerReference(to: parent))
        result.ownerReferences = references
        return result
    }
}
