import RoperatorClient
import Tracing

extension Reconciler {
    /// Validates the desired children, plans against the cache and performs the writes
    /// concurrently (each action touches a different object, so they are independent).
    func applyChildren(_ desired: [KubeObject], parent: KubeObject, key: ParentKey) async -> ChildOutcome {
        await ReconcileTracing.step("children.apply") { span in
            let outcome = await applyChildren(desired, parent: parent, key: key, span: span)
            if let span, span.isRecording {
                span.updateAttributes { attributes in
                    attributes["roperator.children.desired"] = desired.count
                    attributes["roperator.children.refused"] = outcome.refused.count
                    attributes["roperator.children.failed"] = outcome.failures.count
                    attributes["roperator.children.conflict"] = outcome.conflicted
                }
                ReconcileTracing.fail(span, with: outcome.failures + outcome.refused.map { $0 as any Error })
            }
            return outcome
        }
    }

    private func applyChildren(
        _ desired: [KubeObject], parent: KubeObject, key: ParentKey, span: (any Span)?
    ) async -> ChildOutcome {
        var outcome = ChildOutcome()
        let (valid, invalid) = ChildValidation.prepare(desired, parent: parent, config: config)
        outcome.refused = invalid
        guard let parentUID = parent.uid else { return outcome }
        var observed = observedChildren(of: parent)
        // Same-named objects of other parents are in the cache too (it holds every tracked
        // object); the plan needs them to refuse a takeover rather than attempt a create.
        for child in valid {
            let name = child.object.name ?? ""
            guard let informer = children[child.type],
                let existing = informer.store.object(namespace: child.object.namespace, name: name),
                !(observed[child.type] ?? []).contains(where: { $0.name == name && $0.namespace == existing.namespace })
            else { continue }
            observed[child.type, default: []].append(existing)
        }
        let plan = ApplyPlan.make(desired: valid, observed: observed, parentUID: parentUID, config: config)
        outcome.refused += plan.refused
        if !plan.waiting.isEmpty {
            // A recreated child is still terminating; its delete event triggers the next sync.
            logger.debug("waiting for children to go", metadata: ["parent": "\(key)", "children": "\(plan.waiting)"])
        }
        var actions = plan.actions
        if !invalid.isEmpty {
            // Nothing is deleted because something failed: an invalid desired child may stand for an
            // existing child (a wrong namespace, a typo in the kind), so deleting "undesired"
            // children now could remove one the handler still wants. The sync counts as failed and
            // is retried; deletions resume once the response is valid.
            actions.removeAll { if case .delete = $0 { return true } else { return false } }
        }
        if let span, span.isRecording { Self.count(actions, on: span) }
        let results = await withTaskGroup(of: ChildOutcome.self, returning: ChildOutcome.self) { group in
            for action in actions {
                group.addTask { await self.perform(action, parentUID: parentUID) }
            }
            var combined = ChildOutcome()
            for await result in group { combined.merge(result) }
            return combined
        }
        outcome.merge(results)
        return outcome
    }

    /// The writes of one apply, by kind, as span attributes.
    private static func count(_ actions: [ApplyPlan.Action], on span: any Span) {
        var creates = 0, updates = 0, deletes = 0
        for action in actions {
            switch action {
            case .create: creates += 1
            case .replace, .apply: updates += 1
            case .recreate, .delete: deletes += 1
            }
        }
        span.updateAttributes { attributes in
            attributes["roperator.children.created"] = creates
            attributes["roperator.children.updated"] = updates
            attributes["roperator.children.deleted"] = deletes
        }
    }

    private func perform(_ action: ApplyPlan.Action, parentUID: String) async -> ChildOutcome {
        var outcome = ChildOutcome()
        do {
            switch action {
            case .create(let type, let object):
                try await create(type, object, parentUID: parentUID, outcome: &outcome)
            case .replace(let type, let object, _):
                metrics.write(.update)
                _ = try await client.replace(type, object, fieldManager: config.name)
            case .apply(let type, let object, _):
                try await apply(type, object)
            case .recreate(let type, let namespace, let name, let uid, _), .delete(let type, let namespace, let name, let uid):
                metrics.write(.delete)
                do {
                    try await client.delete(
                        type, namespace: namespace, name: name,
                        options: DeleteOptions(propagationPolicy: .background, preconditionUID: uid))
                } catch let error as KubeAPIError where error.isNotFound {
                    // Already gone: what we wanted.
                }
            }
        } catch let error as KubeAPIError where error.isConflict {
            metrics.conflict()
            outcome.conflicted = true
        } catch {
            outcome.failures.append(error)
        }
        return outcome
    }

    private func create(_ type: K8sType, _ object: KubeObject, parentUID: String, outcome: inout ChildOutcome) async throws {
        do {
            if config.childConfig(for: type)?.updateStrategy == .serverSideApply {
                try await apply(type, object)
            } else {
                metrics.write(.create)
                try await client.createIgnoringResult(type, object, fieldManager: config.name)
            }
        } catch let error as KubeAPIError where error.isAlreadyExists {
            // Not in the cache: either the cache is behind, or an untracked object holds the name.
            let existing = try await client.get(type, namespace: object.namespace, name: object.name ?? "")
            switch ChildOwnership.of(existing, parentUID: parentUID) {
            case .ours:
                metrics.conflict()
                outcome.conflicted = true
            case .unowned:
                outcome.refused.append(InvalidChildError(
                    .existsWithoutOwner, child: object, "an object with this name exists and has no controller"))
            case .controlledBy(let kind, let name, let uid):
                outcome.refused.append(InvalidChildError(
                    .ownedByAnotherController, child: object, "already controlled by \(kind) \(name) (uid \(uid))"))
            }
        }
    }

    private func apply(_ type: K8sType, _ object: KubeObject) async throws {
        metrics.write(.apply)
        var body = object.json
        // Server-side apply rejects server-owned metadata in the applied configuration.
        body[path: "metadata", "resourceVersion"] = nil
        body[path: "metadata", "uid"] = nil
        _ = try await client.patch(
            type, namespace: object.namespace, name: object.name ?? "", patch: body,
            as: .apply(fieldManager: config.name, force: true))
    }
}
