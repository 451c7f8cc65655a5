import RoperatorClient

/// Who controls an existing object, as seen from one parent.
enum ChildOwnership: Sendable, Equatable {
    /// Controlled by this parent (controller owner reference with its UID).
    case ours
    /// No controller at all: adopting it is the caller's decision.
    case unowned
    /// Controlled by another object; never taken over.
    case controlledBy(kind: String, name: String, uid: String)

    /// Classifies `object` relative to the parent with UID `parentUID`.
    static func of(_ object: KubeObject, parentUID: String) -> ChildOwnership {
        let references = object.json[path: "metadata", "ownerReferences"]?.arrayValue ?? []
        guard let controller = references.first(where: { $0["controller"]?.boolValue == true }) else {
            return .unowned
        }
        let uid = controller["uid"]?.stringValue ?? ""
        if uid == parentUID { return .ours }
        return .controlledBy(
            kind: controller["kind"]?.stringValue ?? "", name: controller["name"]?.stringValue ?? "", uid: uid)
    }
}
