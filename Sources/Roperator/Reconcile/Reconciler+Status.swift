import RoperatorClient

extension Reconciler {
    /// The condition type that reports refused desired children.
    static let childrenCondition = "ChildrenValid"

    /// The handler's status (or the current one when it returned none) with `observedGeneration`
    /// and the children-valid condition.
    func desiredStatus(_ returned: JSONValue?, parent: KubeObject, refused: [InvalidChildError]) -> JSONValue {
        var holder = KubeObject(["status": returned ?? parent.status ?? .object([:])])
        if holder.json["status"]?.objectValue == nil { holder.json["status"] = .object([:]) }
        if let generation = parent.generation { holder.json[path: "status", "observedGeneration"] = .int(generation) }
        let existing = parent.condition(ofType: Self.childrenCondition)
        if refused.isEmpty {
            holder.removeCondition(ofType: Self.childrenCondition)
        } else {
            if let existing, holder.condition(ofType: Self.childrenCondition) == nil {
                holder.conditions = holder.conditions + [existing]
            }
            holder.setCondition(StatusCondition(
                type: Self.childrenCondition, status: .false, reason: "InvalidChild",
                message: refused.map(\.description).joined(separator: "; "), observedGeneration: parent.generation))
        }
        return holder.json["status"] ?? .object([:])
    }

    /// Writes `status` unless the parent already has it.
    ///
    /// - Returns: `false` on a conflict (the caller requeues), else `true`.
    func writeStatus(_ status: JSONValue, parent: KubeObject, key: ParentKey) async throws -> Bool {
        let current = parent.status ?? .object([:])
        guard let patch = JSONValue.mergePatch(from: current, to: status) else { return true }
        let uid = parent.uid ?? ""
        if let written = writtenStatus.withLock({ $0[uid] }), written.basedOn == parent.resourceVersion,
            written.status.isEquivalent(to: status)
        {
            return true
        }
        do {
            metrics.write(.status)
            let name = parent.name ?? ""
            switch statusTarget.withLock({ $0 }) {
            case .subresource:
                _ = try await client.patchStatus(
                    config.parent, namespace: parent.namespace, name: name, patch: ["status": patch], as: .merge,
                    fieldManager: config.name)
            case .mainResource:
                _ = try await client.patch(
                    config.parent, namespace: parent.namespace, name: name, patch: ["status": patch], as: .merge,
                    fieldManager: config.name)
            }
            writtenStatus.withLock { $0[uid] = (parent.resourceVersion ?? "", status) }
            return true
        } catch let error as KubeAPIError where error.isConflict {
            metrics.conflict()
            return false
        } catch let error as KubeAPIError where error.isNotFound {
            // Deleted meanwhile; its delete event ends the story.
            return true
        }
    }
}
