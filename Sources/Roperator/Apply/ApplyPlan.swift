package import RoperatorClient

/// The writes that bring one parent's children to the desired state, decided without I/O.
///
/// The ``Applier`` executes the actions (concurrently); this type only decides. Inputs are the
/// validated desired children (``ChildValidation/prepare(_:parent:config:)``), the observed
/// objects of the child types that could collide with them (the parent's own children plus any
/// object with a desired name) and the Applier's ``ChildExpectations``.
///
/// A child is written when a field the operator sets differs (``ChildDiff``) or when a field it
/// set before is no longer desired (``AppliedFields``). Every written body carries the
/// applied-fields record.
package struct ApplyPlan: Sendable, Equatable {
    package enum Action: Sendable, Equatable {
        /// Create this object.
        case create(K8sType, KubeObject)
        /// PUT this body (observed object overlaid with the desired fields, fields no longer
        /// desired removed, observed `resourceVersion`); `changed` lists the differing fields.
        case replace(K8sType, KubeObject, changed: [String])
        /// Server-side apply the desired object (field manager = operator name, force); fields
        /// left out are dropped by the server.
        case apply(K8sType, KubeObject, changed: [String])
        /// Delete the observed object (UID precondition) so it can be created again; the create
        /// follows in a later sync, once the deletion event arrives.
        case recreate(K8sType, namespace: String?, name: String, uid: String, changed: [String])
        /// Delete a child that is no longer desired (UID precondition).
        case delete(K8sType, namespace: String?, name: String, uid: String)

        /// The child the action writes.
        var identity: ObjectIdentity {
            switch self {
            case .create(let type, let object), .replace(let type, let object, _), .apply(let type, let object, _):
                ObjectIdentity(type: type, key: ObjectKey(object))
            case .recreate(let type, let namespace, let name, _, _), .delete(let type, let namespace, let name, _):
                ObjectIdentity(type: type, key: ObjectKey(namespace: namespace, name: name))
            }
        }
    }

    /// Writes to perform.
    package var actions: [Action] = []
    /// Desired children that must not be written because someone else has the name.
    var refused: [InvalidChildError] = []
    /// Desired children waiting for an observed object to finish deleting.
    var waiting: [String] = []
    /// Children skipped because an earlier write of theirs is not in the cache yet.
    var awaitingCache: [ObjectIdentity] = []
    /// Records (``AppliedFields``) that could not be read; those children are compared without.
    var unreadableRecords: [String] = []

    /// Plans the writes for the parent with UID `parentUID`.
    package static func make(
        desired: [ChildValidation.Prepared], observed: [K8sType: [KubeObject]], parentUID: String, config: OperatorConfig,
        expectations: ChildExpectations = ChildExpectations()
    ) -> ApplyPlan {
        var plan = ApplyPlan()
        var wanted: Set<ObjectIdentity> = []
        for child in desired {
            let identity = child.identity
            wanted.insert(identity)
            let existing = observed[child.type]?.first {
                $0.name == identity.key.name && ($0.namespace ?? "") == (identity.key.namespace ?? "")
            }
            guard let existing else {
                if expectations[identity] == .creation {
                    plan.awaitingCache.append(identity)
                } else {
                    plan.actions.append(.create(child.type, AppliedFields.recording(child.object, record: child.record)))
                }
                continue
            }
            if let refusal = ChildOwnership.of(existing, parentUID: parentUID).refusal(toWrite: child.object) {
                plan.refused.append(refusal)
                continue
            }
            if existing.isBeingDeleted {
                plan.waiting.append("\(child.type.kind) \(identity.key)")
                continue
            }
            switch expectations[identity] {
            case .deletion(let uid) where uid == existing.uid:
                plan.awaitingCache.append(identity)
                continue
            case .update(let version) where version == existing.resourceVersion:
                plan.awaitingCache.append(identity)
                continue
            default:
                break
            }
            var fields: [String] = []
            if case .changed(let differing) = ChildDiff.compare(desired: child.object.json, observed: existing.json) {
                fields = differing
            }
            var removed: [AppliedFields.Path] = []
            do {
                removed = try AppliedFields.removed(on: existing, desired: child.object.json, record: child.record)
            } catch {
                plan.unreadableRecords.append("\(child.type.kind) \(identity.key): \(error)")
            }
            guard !fields.isEmpty || !removed.isEmpty else { continue }
            fields += removed.map { "-" + AppliedFields.describe($0) }
            let recorded = AppliedFields.recording(child.object, record: child.record)
            switch config.childConfig(for: child.type)?.updateStrategy ?? .replace {
            case .replace:
                plan.actions.append(
                    .replace(
                        child.type, replaceBody(desired: recorded, observed: existing, removing: removed), changed: fields))
            case .serverSideApply:
                plan.actions.append(.apply(child.type, recorded, changed: fields))
            case .recreate:
                plan.actions.append(
                    .recreate(
                        child.type, namespace: existing.namespace, name: identity.key.name, uid: existing.uid ?? "",
                        changed: fields))
            case .onDelete:
                continue
            }
        }
        for (type, objects) in observed.sorted(by: { $0.key.description < $1.key.description }) {
            for object in objects.sorted(by: { ObjectKey($0) < ObjectKey($1) }) {
                let identity = ObjectIdentity(type: type, key: ObjectKey(object))
                guard !wanted.contains(identity), !object.isBeingDeleted,
                    ChildOwnership.of(object, parentUID: parentUID) == .ours, let uid = object.uid
                else { continue }
                if expectations[identity] == .deletion(uid: uid) {
                    plan.awaitingCache.append(identity)
                    continue
                }
                plan.actions.append(.delete(type, namespace: object.namespace, name: identity.key.name, uid: uid))
            }
        }
        return plan
    }

    /// The body of a replace: the observed object with every desired field written over it.
    ///
    /// Starting from the observed object keeps server-defaulted fields, labels and annotations
    /// others added, and `resourceVersion` (so the PUT fails with 409 instead of overwriting a
    /// concurrent change). Objects merge member by member; arrays and scalars are replaced;
    /// owner references and finalizers are unions. The child's `status` is dropped: it is not
    /// written through the main resource.
    static func replaceBody(desired: KubeObject, observed: KubeObject, removing removed: [AppliedFields.Path] = []) -> KubeObject {
        var body = AppliedFields.remove(removed, from: observed.json)
        body["status"] = nil
        for (key, value) in desired.json.objectValue ?? [:] where key != "status" {
            if key == "metadata" {
                body["metadata"] = mergeMetadata(value, into: body["metadata"] ?? .object([:]))
            } else {
                body[key] = merge(value, into: body[key])
            }
        }
        return KubeObject(body)
    }

    private static func mergeMetadata(_ desired: JSONValue, into observed: JSONValue) -> JSONValue {
        var result = observed
        for (key, value) in desired.objectValue ?? [:] where !ChildDiff.serverOwnedMetadata.contains(key) {
            switch key {
            case "ownerReferences":
                result[key] = union(value, observed[key], identity: { $0["uid"] ?? $0 })
            case "finalizers":
                result[key] = union(value, observed[key], identity: { $0 })
            default:
                result[key] = merge(value, into: observed[key])
            }
        }
        return result
    }

    private static func merge(_ desired: JSONValue, into observed: JSONValue?) -> JSONValue {
        guard case .object(let members) = desired, case .object(var result)? = observed else { return desired }
        for (key, value) in members {
            result[key] = merge(value, into: result[key])
        }
        return .object(result)
    }

    /// Observed entries with the desired ones replacing those of equal identity, in observed order
    /// followed by new ones.
    private static func union(_ desired: JSONValue, _ observed: JSONValue?, identity: (JSONValue) -> JSONValue) -> JSONValue {
        let wanted = desired.arrayValue ?? []
        var result = (observed?.arrayValue ?? []).map { element in
            wanted.first(where: { identity($0) == identity(element) }) ?? element
        }
        for element in wanted where !result.contains(where: { identity($0) == identity(element) }) {
            result.append(element)
        }
        return .array(result)
    }
}

/// A child's type and key: what an ``Applier`` writes and expects.
struct ObjectIdentity: Sendable, Hashable, CustomStringConvertible {
    var type: K8sType
    var key: ObjectKey

    var description: String { "\(type.kind) \(key)" }
}
