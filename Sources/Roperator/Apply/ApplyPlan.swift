import RoperatorClient

/// The writes that bring one parent's children to the desired state, decided without I/O.
///
/// The Applier executes the actions (independent ones concurrently); this type only decides.
/// Inputs are the validated desired children (``ChildValidation/prepare(_:parent:config:)``) and
/// the observed objects of the child types that could collide with them (the parent's own
/// children plus any object with a desired name).
struct ApplyPlan: Sendable, Equatable {
    enum Action: Sendable, Equatable {
        /// Create this object.
        case create(K8sType, KubeObject)
        /// PUT this body (observed object overlaid with the desired fields, observed
        /// `resourceVersion`); `changed` lists the differing fields, for logs.
        case replace(K8sType, KubeObject, changed: [String])
        /// Server-side apply the desired object (field manager = operator name, force).
        case apply(K8sType, KubeObject, changed: [String])
        /// Delete the observed object (UID precondition) so it can be created again; the create
        /// follows in a later sync, once the deletion event arrives.
        case recreate(K8sType, namespace: String?, name: String, uid: String, changed: [String])
        /// Delete a child that is no longer desired (UID precondition).
        case delete(K8sType, namespace: String?, name: String, uid: String)
    }

    /// Writes to perform.
    var actions: [Action] = []
    /// Desired children that must not be written because someone else has the name.
    var refused: [InvalidChildError] = []
    /// Desired children waiting for an observed object to finish deleting.
    var waiting: [String] = []

    /// Plans the writes for the parent with UID `parentUID`.
    static func make(
        desired: [ChildValidation.Prepared], observed: [K8sType: [KubeObject]], parentUID: String, config: OperatorConfig
    ) -> ApplyPlan {
        var plan = ApplyPlan()
        var wanted: Set<ObjectIdentity> = []
        for child in desired {
            let identity = ObjectIdentity(type: child.type, namespace: child.object.namespace, name: child.object.name ?? "")
            wanted.insert(identity)
            let existing = observed[child.type]?.first {
                $0.name == identity.name && ($0.namespace ?? "") == (identity.namespace ?? "")
            }
            guard let existing else {
                plan.actions.append(.create(child.type, child.object))
                continue
            }
            switch ChildOwnership.of(existing, parentUID: parentUID) {
            case .ours:
                break
            case .unowned:
                plan.refused.append(InvalidChildError(
                    .existsWithoutOwner, child: child.object, "an object with this name exists and has no controller"))
                continue
            case .controlledBy(let kind, let name, let uid):
                plan.refused.append(InvalidChildError(
                    .ownedByAnotherController, child: child.object, "already controlled by \(kind) \(name) (uid \(uid))"))
                continue
            }
            if existing.isBeingDeleted {
                plan.waiting.append("\(child.type.kind) \(identity.description)")
                continue
            }
            guard case .changed(let fields) = ChildDiff.compare(desired: child.object.json, observed: existing.json) else {
                continue
            }
            switch config.childConfig(for: child.type)?.updateStrategy ?? .replace {
            case .replace:
                plan.actions.append(.replace(child.type, replaceBody(desired: child.object, observed: existing), changed: fields))
            case .serverSideApply:
                plan.actions.append(.apply(child.type, child.object, changed: fields))
            case .recreate:
                plan.actions.append(.recreate(
                    child.type, namespace: existing.namespace, name: identity.name, uid: existing.uid ?? "", changed: fields))
            case .onDelete:
                continue
            }
        }
        for (type, objects) in observed.sorted(by: { $0.key.description < $1.key.description }) {
            for object in objects.sorted(by: { ($0.namespace ?? "", $0.name ?? "") < ($1.namespace ?? "", $1.name ?? "") }) {
                let identity = ObjectIdentity(type: type, namespace: object.namespace, name: object.name ?? "")
                guard !wanted.contains(identity), !object.isBeingDeleted,
                    ChildOwnership.of(object, parentUID: parentUID) == .ours, let uid = object.uid
                else { continue }
                plan.actions.append(.delete(type, namespace: object.namespace, name: identity.name, uid: uid))
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
    static func replaceBody(desired: KubeObject, observed: KubeObject) -> KubeObject {
        var body = observed.json
        body["status"] = nil
        for (key, value) in desired.json.objectValue ?? [:] where key != "status" {
            if key == "metadata" {
                body["metadata"] = mergeMetadata(value, into: observed.metadata)
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

/// Type, namespace and name of an object.
struct ObjectIdentity: Sendable, Hashable, CustomStringConvertible {
    var type: K8sType
    var namespace: String?
    var name: String

    var description: String { ParentKey(namespace: namespace, name: name).description }
}
