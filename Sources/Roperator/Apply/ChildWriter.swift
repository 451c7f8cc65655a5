import RoperatorClient

/// Performs one ``ApplyPlan/Action`` of an ``Applier`` (the Applier runs several at once, each in
/// a task of its own). A 409 is counted (`roperator_conflicts_total` counts the 409s met) and
/// resolved by reading the object and planning that one child again against what the server has:
/// nothing to do, one more write, or a refusal.
struct ChildWriter: Sendable {
    /// A write that reached the server, for the Applier's expectations.
    enum Issued: Sendable, Hashable {
        case creation
        case deletion(uid: String)
        case update
    }

    /// What one action came to.
    struct Result: Sendable {
        var identity: ObjectIdentity
        var outcome = ChildOutcome()
        var issued: Issued?
        /// The resourceVersion the server answered a create, replace or apply with (`nil` for a
        /// delete, or when a 409 was resolved with another write).
        var resourceVersion: String?
    }

    let shared: Reconciler
    let parentUID: String
    /// The desired children of this sync, to plan a child again after a 409 (rare: searched
    /// when needed rather than indexed on every sync).
    let desired: [ChildValidation.Prepared]

    init(shared: Reconciler, parentUID: String, desired: [ChildValidation.Prepared] = []) {
        self.shared = shared
        self.parentUID = parentUID
        self.desired = desired
    }

    func perform(_ action: ApplyPlan.Action) async -> Result {
        var result = Result(identity: action.identity)
        do {
            result.issued = try await write(
                action, resolvingConflicts: true, outcome: &result.outcome, version: &result.resourceVersion)
        } catch let error as KubeAPIError where error.isConflict {
            shared.metrics.conflict()
            result.outcome.conflicted = true
        } catch {
            result.outcome.failures.append(error)
        }
        return result
    }

    /// Performs `action`; `version` is set to the resourceVersion the server answered with.
    private func write(
        _ action: ApplyPlan.Action, resolvingConflicts: Bool, outcome: inout ChildOutcome, version: inout String?
    ) async throws -> Issued? {
        let client = shared.client
        let config = shared.config
        switch action {
        case .create(let type, let object):
            do {
                if config.childConfig(for: type)?.updateStrategy == .serverSideApply {
                    version = try await apply(type, object).resourceVersion
                } else {
                    shared.metrics.write(.create)
                    version = try await client.createReadingVersion(type, object, fieldManager: config.name)
                }
                return .creation
            } catch let error as KubeAPIError where error.isAlreadyExists && resolvingConflicts {
                // Not in the cache: the cache is behind, or an object nobody tracks holds the name.
                shared.metrics.conflict()
                try await resolve(action, outcome: &outcome)
                return .creation
            }
        case .replace(let type, let body, _):
            do {
                shared.metrics.write(.update)
                version = try await client.replaceReadingVersion(type, body, fieldManager: config.name)
                return .update
            } catch let error as KubeAPIError where error.isConflict && resolvingConflicts {
                // Someone changed it since the cache saw it; plan against what the server has.
                shared.metrics.conflict()
                try await resolve(action, outcome: &outcome)
                return nil
            }
        case .apply(let type, let object, _):
            version = try await apply(type, object).resourceVersion
            return .update
        case .recreate(let type, let namespace, let name, let uid, _), .delete(let type, let namespace, let name, let uid):
            shared.metrics.write(.delete)
            do {
                try await client.delete(
                    type, namespace: namespace, name: name,
                    options: DeleteOptions(propagationPolicy: .background, preconditionUID: uid))
            } catch let error as KubeAPIError where error.isNotFound {
                // Already gone: what we wanted.
            }
            return .deletion(uid: uid)
        }
    }

    /// Reads the child of a failed write and plans it once more against the server's copy.
    private func resolve(_ action: ApplyPlan.Action, outcome: inout ChildOutcome) async throws {
        let identity = action.identity
        let fresh = try await shared.client.get(identity.type, namespace: identity.key.namespace, name: identity.key.name)
        guard let child = desired.first(where: { $0.identity == identity }) else {
            // Not a desired child (cannot happen for creates and replaces); leave it to the next sync.
            outcome.conflicted = true
            return
        }
        let plan = ApplyPlan.make(
            desired: [child], observed: [identity.type: [fresh]], parentUID: parentUID, config: shared.config)
        outcome.refused += plan.refused
        var ignored: String?
        for next in plan.actions {
            _ = try await write(next, resolvingConflicts: false, outcome: &outcome, version: &ignored)
        }
    }

    private func apply(_ type: K8sType, _ object: KubeObject) async throws -> CompactObject.Metadata {
        shared.metrics.write(.apply)
        var body = object.json
        // Server-side apply rejects server-owned metadata in the applied configuration.
        body[path: "metadata", "resourceVersion"] = nil
        body[path: "metadata", "uid"] = nil
        return try await shared.client.patchReadingMetadata(
            type, namespace: object.namespace, name: object.name ?? "", patch: body,
            as: .apply(fieldManager: shared.config.name, force: true))
    }
}
