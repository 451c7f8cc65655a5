import RoperatorClient
import Tracing

extension ParentReconciler {
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
            holder.setCondition(
                StatusCondition(
                    type: Self.childrenCondition, status: .false, reason: "InvalidChild",
                    message: refused.map(\.description).joined(separator: "; "), observedGeneration: parent.generation))
        }
        return holder.json["status"] ?? .object([:])
    }

    /// Writes `status` unless the parent already has it.
    ///
    /// - Returns: `false` on a conflict (the caller requeues), else `true`.
    func writeStatus(_ status: JSONValue, parent: KubeObject) async throws -> Bool {
        var status = status
        let current = parent.status ?? .object([:])
        let uid = parent.uid ?? ""
        let target = shared.statusTarget.withLock { $0 }
        if target == .mainResource, let written = writtenStatus,
            written.generationAfter == parent.generation
        {
            // Without a status subresource our own status write bumps the generation; chasing it
            // with observedGeneration would write forever. The spec is what we observed.
            status["observedGeneration"] = current["observedGeneration"]
        }
        guard let patch = JSONValue.mergePatch(from: current, to: status) else { return true }
        if let written = writtenStatus, written.basedOn == parent.resourceVersion,
            written.status.isEquivalent(to: status)
        {
            return true
        }
        do {
            let updated = try await ReconcileTracing.step("status.write") { span in
                span?.attributes["roperator.status.target"] = target == .subresource ? "subresource" : "main"
                return try await patchStatus(patch, of: parent, target: target)
            }
            let written = WrittenStatus(
                basedOn: parent.resourceVersion ?? "", status: status, generationAfter: updated.generation)
            writtenStatus = written
            return true
        } catch let error as KubeAPIError where error.isConflict {
            shared.metrics.conflict()
            return false
        } catch let error as KubeAPIError where error.isNotFound {
            // Deleted meanwhile (its delete event ends the story), or the CRD has no status
            // subresource after all: then the status lives in the main resource.
            guard target == .subresource, shared.parents.store.contains(uid: uid) else { return true }
            shared.statusTarget.withLock { $0 = .mainResource }
            shared.logger.info("the parent type has no status subresource; writing status to the main resource")
            return try await writeStatus(status, parent: parent)
        }
    }

    /// - Returns: the metadata of the parent as written (the rest of the answer is not decoded).
    private func patchStatus(_ patch: JSONValue, of parent: KubeObject, target: StatusTarget) async throws -> CompactObject.Metadata {
        shared.metrics.write(.status)
        let config = shared.config
        return try await shared.client.patchReadingMetadata(
            config.parent, namespace: parent.namespace, name: parent.name ?? "", subresource: target == .subresource ? "status" : nil,
            patch: ["status": patch], as: .merge, fieldManager: config.name)
    }
}
