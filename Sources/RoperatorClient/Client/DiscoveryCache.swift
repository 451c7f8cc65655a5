/// Resource lists per group-version, as discovery last returned them.
final class DiscoveryCache: Sendable {
    private let entries = Lock<[String: [K8sType]]>([:])

    func types(for apiVersion: String) -> [K8sType]? {
        entries.withLock { $0[apiVersion] }
    }

    func store(_ types: [K8sType], for apiVersion: String) {
        entries.withLock { $0[apiVersion] = types }
    }

    func invalidate(_ apiVersion: String? = nil) {
        entries.withLock { entries in
            if let apiVersion { entries[apiVersion] = nil } else { entries.removeAll() }
        }
    }
}
