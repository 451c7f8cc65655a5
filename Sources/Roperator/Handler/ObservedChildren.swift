import RoperatorClient

/// The existing children of one sync: the cached objects, each type's list decoded the first
/// time it is read. A handler that never looks at its children costs no decoding; one that does
/// pays once per type, however often it reads.
///
/// Shared by a ``SyncRequest`` and the ``Applier`` of the same sync (which reuses what the
/// handler decoded), so it is a class; its decoded lists are guarded by a lock.
final class ObservedChildren: Sendable {
    /// The cached children by type, sorted by namespace and name; types without children left out.
    let cached: [K8sType: [CachedObject]]
    private let decoded: Lock<[K8sType: [KubeObject]]>

    /// Children read from the caches, decoded on demand.
    init(cached: [K8sType: [CachedObject]]) {
        self.cached = cached.mapValues { $0.sorted { $0.key < $1.key } }
        decoded = Lock([:])
    }

    /// Children given as decoded objects (tests, handlers called by hand), sorted by namespace and name.
    init(decoded children: [K8sType: [KubeObject]]) {
        cached = [:]
        decoded = Lock(children.mapValues { $0.sorted { ObjectKey($0) < ObjectKey($1) } })
    }

    /// The children of `type`, decoded (once).
    func children(of type: K8sType) -> [KubeObject] {
        decoded.withLock { decoded in
            if let done = decoded[type] { return done }
            guard let objects = cached[type] else { return [] }
            let made = objects.map(\.object)
            decoded[type] = made
            return made
        }
    }

    /// Every child, decoded, by type.
    var all: [K8sType: [KubeObject]] {
        var result: [K8sType: [KubeObject]] = decoded.withLock { $0 }
        for type in cached.keys where result[type] == nil { result[type] = children(of: type) }
        return result
    }

    /// What has been decoded so far, by type (the ``Applier`` reuses it).
    var decodedSoFar: [K8sType: [KubeObject]] { decoded.withLock { $0 } }
}
