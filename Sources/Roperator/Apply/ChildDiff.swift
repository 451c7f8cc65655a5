import RoperatorClient

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
///
/// Not handled: semantic equivalence the server normalises (for example quantities `1000m` vs
/// `1`); write such fields in the server's canonical form.
enum ChildDiff: Sendable, Equatable {
    /// Nothing the operator sets differs; no write needed.
    case unchanged
    /// These fields differ, as paths like `spec.replicas` or `spec.containers[0].image`.
    case changed([String])

    static let serverOwnedMetadata: Set<String> = [
        "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds",
    ]

    /// Compares a desired child with the observed one.
    static func compare(desired: JSONValue, observed: JSONValue) -> ChildDiff {
        var differences: [String] = []
        guard let desiredMembers = desired.objectValue else {
            return desired == observed ? .unchanged : .changed([""])
        }
        for (key, value) in desiredMembers.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "status":
                continue
            case "metadata":
                compareMetadata(value, observed["metadata"], into: &differences)
            default:
                compare(value, observed[key], path: key, into: &differences)
            }
        }
        return differences.isEmpty ? .unchanged : .changed(differences)
    }

    private static func compareMetadata(_ desired: JSONValue, _ observed: JSONValue?, into differences: inout [String]) {
        guard let members = desired.objectValue else {
            compare(desired, observed, path: "metadata", into: &differences)
            return
        }
        for (key, value) in members.sorted(by: { $0.key < $1.key }) where !serverOwnedMetadata.contains(key) {
            let path = "metadata.\(key)"
            switch key {
            case "ownerReferences":
                compareSet(value, observed?[key], path: path, identity: { $0["uid"] ?? $0 }, into: &differences)
            case "finalizers":
                compareSet(value, observed?[key], path: path, identity: { $0 }, into: &differences)
            default:
                compare(value, observed?[key], path: path, into: &differences)
            }
        }
    }

    /// Each desired element must match (⊆) the observed element with the same identity.
    private static func compareSet(
        _ desired: JSONValue, _ observed: JSONValue?, path: String,
        identity: (JSONValue) -> JSONValue, into differences: inout [String]
    ) {
        guard let wanted = desired.arrayValue else {
            compare(desired, observed, path: path, into: &differences)
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

    private static func compare(_ desired: JSONValue, _ observed: JSONValue?, path: String, into differences: inout [String]) {
        guard let observed, !observed.isNull else {
            if !isEmptyValue(desired) { differences.append(path) }
            return
        }
        switch desired {
        case .object(let members):
            guard observed.objectValue != nil else {
                differences.append(path)
                return
            }
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                compare(value, observed[key], path: "\(path).\(key)", into: &differences)
            }
        case .array(let elements):
            guard let observedElements = observed.arrayValue, observedElements.count == elements.count else {
                differences.append(path)
                return
            }
            for (index, element) in elements.enumerated() {
                compare(element, observedElements[index], path: "\(path)[\(index)]", into: &differences)
            }
        case .int, .double:
            // Integers compare exactly (no Int64 -> Double rounding); mixed forms by value.
            if let a = desired.intValue, let b = observed.intValue {
                if a != b { differences.append(path) }
            } else if desired.doubleValue != observed.doubleValue {
                differences.append(path)
            }
        default:
            if desired != observed { differences.append(path) }
        }
    }

    private static func isSubset(_ desired: JSONValue, of observed: JSONValue) -> Bool {
        var differences: [String] = []
        compare(desired, observed, path: "", into: &differences)
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
