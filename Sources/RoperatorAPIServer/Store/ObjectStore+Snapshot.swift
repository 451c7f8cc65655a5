package import RoperatorClient

extension ObjectStore {
    /// Every object and the resourceVersion counter, for `--data-dir` persistence.
    ///
    /// The event window is not saved: after a restore, watches from earlier resourceVersions get 410.
    package func snapshot() -> JSONValue {
        state.withLock { s in
            var objects: [JSONValue] = []
            for gr in s.buckets.keys.sorted(by: { $0.description < $1.description }) {
                let bucket = s.buckets[gr]!
                for key in bucket.order {
                    objects.append(["group": .string(gr.group), "resource": .string(gr.resource), "object": bucket.objects[key]!])
                }
            }
            return ["resourceVersion": .int(s.resourceVersion), "objects": .array(objects)]
        }
    }

    /// Replaces the whole state with a snapshot: objects, counter, and the CRDs it serves. Open
    /// watches are ended, and every resourceVersion up to the restored counter counts as compacted.
    ///
    /// - Parameters:
    ///   - snapshot: what ``snapshot()`` returned.
    ///   - skippingResourceVersions: how far to move the counter past the snapshot's. `0` for a
    ///     snapshot known to hold the last write; for one that may be older (a server killed between
    ///     snapshots), more than the writes it may have lost. The server then never issues a
    ///     resourceVersion twice, and a client that saw a lost write is told to relist (410) instead
    ///     of resuming its watch after the restored counter caught up with its version, which would
    ///     skip every change between (etcd's `snapshot restore --bump-revision --mark-compacted`).
    /// - Throws: 400 when the snapshot is malformed (nothing is changed then).
    package func restore(_ snapshot: JSONValue, skippingResourceVersions skip: Int64) throws(APIError) {
        guard let rv = snapshot["resourceVersion"]?.intValue, let objects = snapshot["objects"]?.arrayValue, skip >= 0 else {
            throw .badRequest("snapshot: missing resourceVersion or objects")
        }
        var crds: [JSONValue] = []
        var entries: [(ObjectRef, JSONValue)] = []
        for entry in objects {
            guard let group = entry["group"]?.stringValue, let resource = entry["resource"]?.stringValue,
                let object = entry["object"], let name = object[path: "metadata", "name"]?.stringValue
            else {
                throw .badRequest("snapshot: malformed entry \(entry)")
            }
            let gr = GroupResource(group: group, resource: resource)
            let ns = object[path: "metadata", "namespace"]?.stringValue ?? ""
            entries.append((ObjectRef(resource: gr, key: ObjectKey(storeNamespace: ns, name: name)), object))
            if gr == StoreState.crds { crds.append(object) }
        }
        for crd in crds { _ = try ResourceRegistry.resources(fromCRD: crd) }
        try locked { s throws(APIError) in
            s.cutWatches()
            for crd in s.buckets[StoreState.crds]?.objects.values.map({ $0 }) ?? [] {
                if let name = crd[path: "metadata", "name"]?.stringValue { s.registry.unregister(crdName: name) }
            }
            var fresh = StoreState(configuration: s.configuration, registry: s.registry, policyChanges: s.policyChanges)
            fresh.pendingFinish = s.pendingFinish
            for (ref, object) in entries { fresh.load(ref, object) }
            fresh.resourceVersion = rv + skip
            fresh.compact()
            for crd in crds { try s.registry.register(crd: crd) }
            s = fresh
        }
    }
}

extension StoreState {
    /// Puts an object in place without a new resourceVersion or event (restore).
    mutating func load(_ ref: ObjectRef, _ object: JSONValue) {
        let old = buckets[ref.resource]?.objects[ref.key]
        buckets[ref.resource, default: Bucket()].set(object, for: ref.key)
        reindexForLoad(ref, old: old, new: object)
        if ref.resource.group == Authorizer.rbacGroup { policyChanges.bump() }
    }
}
