/// One event of a watch stream.
public enum WatchEvent: Sendable, Hashable {
    case added(KubeObject)
    case modified(KubeObject)
    case deleted(KubeObject)
    /// The server has sent everything up to this resourceVersion; resume from here after a reconnect.
    case bookmark(resourceVersion: String)

    /// The resourceVersion this event brings the watch to, when it carries one.
    public var resourceVersion: String? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object.resourceVersion
        case .bookmark(let resourceVersion): resourceVersion
        }
    }
}
