import RoperatorClient

/// Who controls an existing object, as seen from one parent, and the one rule about taking
/// objects over: only our own children are written; an object controlled by another owner, or by
/// nobody, is never taken over.
enum ChildOwnership: Sendable, Equatable {
    /// Controlled by this parent (controller owner reference with its UID).
    case ours
    /// No controller at all: it may belong to a person or another tool.
    case unowned
    /// Controlled by another object.
    case controlledBy(OwnerReference)

    /// Classifies `object` relative to the parent with UID `parentUID`.
    static func of(_ object: KubeObject, parentUID: String) -> ChildOwnership {
        guard let controller = object.controllerReference else { return .unowned }
        return controller.uid == parentUID ? .ours : .controlledBy(controller)
    }

    /// Why `child` must not be written over an object with this ownership; `nil` when it is ours.
    /// The only place the runtime refuses a takeover (planning and the answer to a create both
    /// ask here).
    func refusal(toWrite child: KubeObject) -> InvalidChildError? {
        switch self {
        case .ours:
            nil
        case .unowned:
            InvalidChildError(.existsWithoutOwner, child: child, "an object with this name exists and has no controller")
        case .controlledBy(let owner):
            InvalidChildError(
                .ownedByAnotherController, child: child, "already controlled by \(owner.kind) \(owner.name) (uid \(owner.uid))")
        }
    }
}
