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
        try Stamp(parent: parent, operatorName: operatorName).apply(to: child)
    }

    /// The tracking metadata of one parent's children, worked out once per sync rather than once
    /// per child: the label values and the controller reference, already as JSON.
    struct Stamp: Sendable {
        let parentUID: String
        let operatorLabel: String
        let controllerReference: JSONValue

        init(parent: KubeObject, operatorName: String) {
            parentUID = parent.uid ?? ""
            operatorLabel = operatorLabelValue(for: operatorName)
            controllerReference = TrackingLabels.controllerReference(to: parent).json
        }

        /// `child` with the tracking labels and the controller reference (see
        /// ``TrackingLabels/inject(into:parent:operatorName:)``).
        func apply(to child: KubeObject) throws(InvalidChildError) -> KubeObject {
            var result = child
            // Owner references the handler did not set (the usual case) need no decoding.
            let references: JSONValue
            if let set = child.json["metadata"]?["ownerReferences"], !set.isNull {
                references = try merged(into: child)
            } else {
                references = .array([controllerReference])
            }
            var metadata = result.json["metadata"]?.objectValue ?? [:]
            result.json["metadata"] = nil
            var labels = metadata["labels"]?.objectValue ?? [:]
            metadata["labels"] = nil
            labels[TrackingLabels.parentUID] = .string(parentUID)
            labels[TrackingLabels.operatorName] = .string(operatorLabel)
            metadata["labels"] = .object(labels)
            metadata["ownerReferences"] = references
            result.json["metadata"] = .object(metadata)
            return result
        }

        /// The handler's owner references with this parent's controller reference in place.
        private func merged(into child: KubeObject) throws(InvalidChildError) -> JSONValue {
            var references: [OwnerReference]
            do {
                references = try child.ownerReferencesStrict()
            } catch {
                throw InvalidChildError(.invalidOwnerReference, child: child, "\(error)")
            }
            references.removeAll { $0.uid == parentUID }
            for index in references.indices where references[index].isController {
                references[index].controller = false
            }
            return .array(references.map(\.json) + [controllerReference])
        }
    }
}
