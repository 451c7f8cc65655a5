package import RoperatorClient

/// Checks the desired children of one ``SyncResponse`` before anything is written.
package enum ChildValidation {
    /// A desired child ready for the Applier: its configured type, the object with namespace
    /// defaulted and tracking metadata injected.
    package struct Prepared: Sendable, Equatable {
        let type: K8sType
        let object: KubeObject
        /// The applied-fields record of `object` as text (``AppliedFields/recordText(of:)``),
        /// worked out once: the plan compares it with the child's and writes it with the child.
        var record: String
        /// The child's type and key, worked out once.
        let identity: ObjectIdentity
        /// A hash of the child as the handler returned it, before it was prepared (the
        /// ``Applier`` recognises a child it wrote by it without preparing it again).
        var sourceFingerprint = 0

        init(type: K8sType, object: KubeObject) {
            self.type = type
            self.object = object
            record = AppliedFields.recordText(of: object.json)
            identity = ObjectIdentity(type: type, key: ObjectKey(object))
        }
    }

    /// Validates and prepares every child of a response; invalid ones are returned separately so
    /// the valid ones can still be applied.
    ///
    /// `fingerprints`, when given, are the children's ``fingerprint(of:)`` worked out already.
    package static func prepare(
        _ children: [KubeObject], parent: KubeObject, config: OperatorConfig, fingerprints: [Int]? = nil
    ) -> (valid: [Prepared], invalid: [InvalidChildError]) {
        guard !children.isEmpty else { return ([], []) }
        var valid: [Prepared] = []
        var invalid: [InvalidChildError] = []
        var seen: Set<ObjectIdentity> = []
        let stamp = TrackingLabels.Stamp(parent: parent, operatorName: config.name)
        for (index, child) in children.enumerated() {
            do throws(InvalidChildError) {
                var prepared = try prepare(child, parent: parent, config: config, stamp: stamp)
                prepared.sourceFingerprint = fingerprints?[index] ?? fingerprint(of: child)
                let key = ObjectKey(namespace: prepared.object.namespace ?? "", name: prepared.object.name ?? "")
                guard seen.insert(ObjectIdentity(type: prepared.type, key: key)).inserted else {
                    throw InvalidChildError(.duplicate, child: prepared.object, "appears more than once in the response")
                }
                valid.append(prepared)
            } catch {
                invalid.append(error)
            }
        }
        return (valid, invalid)
    }

    /// A 64-bit hash of a desired child as the handler returned it.
    static func fingerprint(of child: KubeObject) -> Int {
        var hasher = Hasher()
        hasher.combine(child.json)
        return hasher.finalize()
    }

    /// Validates one child: `apiVersion`, `kind` and `metadata.name` present, type configured,
    /// namespace consistent with the parent's scope. Defaults the namespace of a namespaced child
    /// of a namespaced parent to the parent's, then injects the tracking labels and controller
    /// owner reference.
    static func prepare(
        _ child: KubeObject, parent: KubeObject, config: OperatorConfig, stamp: TrackingLabels.Stamp? = nil
    ) throws(InvalidChildError) -> Prepared {
        guard let apiVersion = child.apiVersion, !apiVersion.isEmpty else {
            throw InvalidChildError(.missingAPIVersion, child: child, "apiVersion is missing")
        }
        guard let kind = child.kind, !kind.isEmpty else {
            throw InvalidChildError(.missingKind, child: child, "kind is missing")
        }
        guard let name = child.name, !name.isEmpty else {
            throw InvalidChildError(.missingName, child: child, "metadata.name is missing (generateName is not supported)")
        }
        guard let type = config.childType(apiVersion: apiVersion, kind: kind) else {
            throw InvalidChildError(
                .typeNotConfigured, child: child,
                "\(apiVersion)/\(kind) is not a child type of operator \(config.name); add it with withChild")
        }
        var object = child
        let parentNamespace = parent.namespace
        switch (type.namespaced, config.parent.namespaced) {
        case (true, true):
            if let namespace = child.namespace, namespace != parentNamespace {
                throw InvalidChildError(
                    .namespaceMismatch, child: child,
                    "namespace \(namespace) differs from the parent's namespace \(parentNamespace ?? "")")
            }
            object.namespace = parentNamespace
        case (true, false):
            guard let namespace = child.namespace, !namespace.isEmpty else {
                throw InvalidChildError(.namespaceRequired, child: child, "a namespaced child of a cluster-scoped parent needs a namespace")
            }
        case (false, true):
            throw InvalidChildError(
                .clusterScopedChildOfNamespacedParent, child: child,
                "a cluster-scoped child cannot be owned by a namespaced parent")
        case (false, false):
            if let namespace = child.namespace, !namespace.isEmpty {
                throw InvalidChildError(.namespaceMismatch, child: child, "cluster-scoped \(kind) has namespace \(namespace)")
            }
        }
        let stamp = stamp ?? TrackingLabels.Stamp(parent: parent, operatorName: config.name)
        return Prepared(type: type, object: try stamp.apply(to: object))
    }
}
