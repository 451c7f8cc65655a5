package import RoperatorClient

/// Whether an observed child already matches what the operator wants, counting only the fields
/// the operator sets.
///
/// The rule is "desired ⊆ observed": every field present in the desired object must have the same
/// value in the observed one; fields only the server or other controllers set are ignored, so
/// defaulting never causes a write. In detail:
/// - objects: each desired member is compared; extra observed members are ignored. So labels and
///   annotations compare only the keys the operator sets.
/// - arrays: same length, element by element with the same rule (server-defaulted fields inside
///   list elements, e.g. container `imagePullPolicy`, are ignored).
/// - `metadata.ownerReferences` and `metadata.finalizers` are sets: each desired entry must be
///   present, others may be added by someone else.
/// - server-owned metadata (`uid`, `resourceVersion`, `generation`, `creationTimestamp`,
///   `managedFields`, `selfLink`, `deletionTimestamp`, `deletionGracePeriodSeconds`) and the
///   child's top-level `status` are never compared.
/// - a desired `null`, `{}` or `[]` matches an absent field (the server omits empty values).
/// - numbers compare by value (`1` equals `1.0`).
/// - quantities compare by amount in the resource lists of built-in kinds (`resources.requests`,
///   `limits`, `capacity`, `hard`, `sizeLimit`, ...), which kube-apiserver stores in canonical
///   form: a desired `"0.5"` or `1` matches a stored `"500m"` or `"1"`.
package enum ChildDiff: Sendable, Equatable {
    /// Nothing the operator sets differs; no write needed.
    case unchanged
    /// These fields differ, as paths like `spec.replicas` or `spec.containers[0].image`.
    case changed([String])

    static let serverOwnedMetadata: Set<String> = [
        "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds",
    ]

    /// Members whose values are quantities in built-in kinds (resource lists of containers, pod
    /// overhead, node capacity, quotas, limit ranges, volume claims).
    static let quantityLists: Set<String> = [
        "requests", "limits", "capacity", "allocatable", "hard", "used", "overhead", "min", "max", "default",
        "defaultRequest", "maxLimitRequestRatio",
    ]
    /// Single quantity fields of built-in kinds.
    static let quantityFields: Set<String> = ["sizeLimit", "storageCapacity"]

    /// Compares a desired child with the observed one.
    package static func compare(desired: JSONValue, observed: JSONValue) -> ChildDiff {
        var differences: [String] = []
        guard let desiredMembers = desired.objectValue else {
            return desired == observed ? .unchanged : .changed([""])
        }
        let builtIn = isBuiltIn(apiVersion: desired["apiVersion"]?.stringValue ?? "")
        compareMembers(desiredMembers, into: &differences) { key, value, differences in
            switch key {
            case "status":
                return
            case "metadata":
                compareMetadata(value, observed["metadata"], into: &differences)
            default:
                compare(value, observed[key], path: { key }, builtIn: builtIn, into: &differences)
            }
        }
        return differences.isEmpty ? .unchanged : .changed(differences)
    }

    /// Whether `apiVersion` names a group of Kubernetes itself (core, `apps`, `*.k8s.io`), whose
    /// quantities the API server canonicalizes; custom resources keep what was written.
    static func isBuiltIn(apiVersion: String) -> Bool {
        guard let slash = apiVersion.firstIndex(of: "/") else { return true }
        let group = apiVersion[..<slash]
        return !group.contains(".") || group.hasSuffix(".k8s.io")
    }

    /// Whether a desired and an observed scalar at `path` are the same quantity.
    private static func sameQuantity(_ desired: JSONValue, _ observed: JSONValue, path: String) -> Bool {
        let components = path.split(separator: ".")
        guard let last = components.last else { return false }
        let parent = components.dropLast().last.map { String($0) }
        guard quantityFields.contains(String(last)) || parent.map(quantityLists.contains) == true,
            let wanted = quantity(desired), let stored = quantity(observed)
        else { return false }
        return wanted == stored
    }

    private static func quantity(_ value: JSONValue) -> Quantity? {
        if let text = value.stringValue { return try? Quantity(text) }
        if let integer = value.intValue { return Quantity(integer) }
        if let number = value.doubleValue { return try? Quantity("\(number)") }
        return nil
    }

    private static func compareMetadata(_ desired: JSONValue, _ observed: JSONValue?, into differences: inout [String]) {
        guard let members = desired.objectValue else {
            compare(desired, observed, path: { "metadata" }, into: &differences)
            return
        }
        compareMembers(members, into: &differences) { key, value, differences in
            guard !serverOwnedMetadata.contains(key) else { return }
            let path = { "metadata.\(key)" }
            switch key {
            case "ownerReferences":
                compareSet(value, observed?[key], path: path(), identity: { $0["uid"] ?? $0 }, into: &differences)
            case "finalizers":
                compareSet(value, observed?[key], path: path(), identity: { $0 }, into: &differences)
            default:
                compare(value, observed?[key], path: path, into: &differences)
            }
        }
    }

    /// Compares each member with `compare`, in the dictionary's order (no sort: most comparisons
    /// find nothing), then puts what it found in the order of the members' keys, as if they had
    /// been compared in that order.
    private static func compareMembers(
        _ members: [String: JSONValue], into differences: inout [String],
        _ compare: (String, JSONValue, inout [String]) -> Void
    ) {
        let start = differences.count
        var found: [(key: String, paths: Range<Int>)] = []
        for (key, value) in members {
            let before = differences.count
            compare(key, value, &differences)
            if differences.count > before { found.append((key, before..<differences.count)) }
        }
        guard found.count > 1 else { return }
        let ordered = found.sorted { $0.key < $1.key }.flatMap { differences[$0.paths] }
        differences.replaceSubrange(start..., with: ordered)
    }

    /// Each desired element must match (⊆) the observed element with the same identity.
    private static func compareSet(
        _ desired: JSONValue, _ observed: JSONValue?, path: String,
        identity: (JSONValue) -> JSONValue, into differences: inout [String]
    ) {
        guard let wanted = desired.arrayValue else {
            compare(desired, observed, path: { path }, into: &differences)
            return
        }
        let present = observed?.arrayValue ?? []
        for element in wanted {
            let id = identity(element)
            guard let match = present.first(where: { identity($0) == id }), isSubset(element, of: match) else {
                differences.append(path)
                return
            }
        }
    }

    /// `path` makes the field's path, only for a difference: most comparisons find none.
    private static func compare(
        _ desired: JSONValue, _ observed: JSONValue?, path: () -> String, builtIn: Bool = false,
        into differences: inout [String]
    ) {
        guard let observed, !observed.isNull else {
            if !isEmptyValue(desired) { differences.append(path()) }
            return
        }
        switch desired {
        case .object(let members):
            guard observed.objectValue != nil else {
                differences.append(path())
                return
            }
            compareMembers(members, into: &differences) { key, value, differences in
                compare(value, observed[key], path: { "\(path()).\(key)" }, builtIn: builtIn, into: &differences)
            }
        case .array(let elements):
            guard let observedElements = observed.arrayValue, observedElements.count == elements.count else {
                differences.append(path())
                return
            }
            for (index, element) in elements.enumerated() {
                compare(element, observedElements[index], path: { "\(path())[\(index)]" }, builtIn: builtIn, into: &differences)
            }
        case .int, .double:
            // Integers compare exactly (no Int64 -> Double rounding); mixed forms by value.
            if let a = desired.intValue, let b = observed.intValue {
                if a != b { differences.append(path()) }
            } else if desired.doubleValue != observed.doubleValue, !(builtIn && sameQuantity(desired, observed, path: path())) {
                differences.append(path())
            }
        default:
            if desired != observed, !(builtIn && sameQuantity(desired, observed, path: path())) { differences.append(path()) }
        }
    }

    private static func isSubset(_ desired: JSONValue, of observed: JSONValue) -> Bool {
        var differences: [String] = []
        compare(desired, observed, path: { "" }, into: &differences)
        return differences.isEmpty
    }

    private static func isEmptyValue(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .object(let members): members.values.allSatisfy(isEmptyValue)
        case .array(let elements): elements.isEmpty
        default: false
        }
    }
}
