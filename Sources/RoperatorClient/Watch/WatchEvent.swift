/// One event of a watch stream.
public enum WatchEvent: Sendable, Hashable {
    /// An object was created (or existed when a watch without resourceVersion began).
    case added(KubeObject)
    /// An object changed; the new state.
    case modified(KubeObject)
    /// An object was deleted; its last state.
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

extension WatchEvent {
    init(_ event: WatchEventReader<KubeObject>.Event) {
        switch event {
        case .added(let object): self = .added(object)
        case .modified(let object): self = .modified(object)
        case .deleted(let object): self = .deleted(object)
        case .bookmark(let resourceVersion): self = .bookmark(resourceVersion: resourceVersion)
        }
    }
}
