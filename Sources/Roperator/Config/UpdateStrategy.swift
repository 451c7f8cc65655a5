/// How the runtime brings an existing child in line with the desired state.
public enum UpdateStrategy: Sendable, Hashable, CustomStringConvertible {
    /// Replace the whole object with a PUT carrying the observed `resourceVersion`. The default.
    case replace
    /// Delete the child, then create it again once it is gone. For kinds with immutable fields
    /// (for example Pods or Jobs).
    case recreate
    /// Never update an existing child; it is only created when missing (and deleted when no
    /// longer desired). Useful when someone else owns later changes.
    case onDelete
    /// Server-side apply with the operator name as field manager and `force=true`.
    case serverSideApply

    /// The case name, for logs.
    public var description: String {
        switch self {
        case .replace: "replace"
        case .recreate: "recreate"
        case .onDelete: "onDelete"
        case .serverSideApply: "serverSideApply"
        }
    }
}
