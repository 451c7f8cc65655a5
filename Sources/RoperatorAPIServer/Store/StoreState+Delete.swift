import RoperatorClient

extension StoreState {
    static let foregroundFinalizer = "foregroundDeletion"
    static let orphanFinalizer = "orphan"

    /// DELETE of one object.
    ///
    /// - Returns: the object as deleted (final state, or with `deletionTimestamp` when finalizers keep
    ///   it), and whether it is gone.
    mutating func delete(_ info: ResourceInfo, key: ObjectKey, options: DeleteOptions) throws(APIError)
        -> (object: JSONValue, removed: Bool)
    {
        let ref = ObjectRef(resource: info.groupResource, key: key)
        let object = try existing(info, key)
        let uid = object[path: "metadata", "uid"]?.stringValue ?? ""
        if let want = options.preconditionUID, !want.isEmpty, want != uid {
            throw .conflict(
                group: info.group, plural: info.plural, name: key.name,
                why: "Precondition failed: UID in precondition: \(want), UID in object meta: \(uid)")
        }
        let rv = object[path: "metadata", "resourceVersion"]?.stringValue ?? ""
        if let want = options.preconditionResourceVersion, !want.isEmpty, want != rv {
            throw .conflict(
                group: info.group, plural: info.plural, name: key.name,
                why: "Precondition failed: ResourceVersion in precondition: \(want), ResourceVersion in object meta: \(rv)")
        }
        if options.dryRun { return (Self.present(object, as: info), false) }
        let (result, removed) = deleteObject(
            ref, propagation: options.propagationPolicy ?? .background,
            gracePeriod: options.gracePeriodSeconds)
        return (Self.present(result, as: info), removed)
    }

    /// The deletion state machine shared by DELETE, garbage collection and namespace termination.
    mutating func deleteObject(_ ref: ObjectRef, propagation: DeleteOptions.Propagation, gracePeriod: Int64? = nil)
        -> (JSONValue, Bool)
    {
        guard var object = object(ref) else { return (.null, true) }
        let uid = object[path: "metadata", "uid"]?.stringValue ?? ""
        let finalizers = object[path: "metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if object[path: "metadata", "deletionTimestamp"] != nil {
            // Already being deleted; the finalizers' owners decide when it goes.
            return (object, false)
        }
        if ref.resource == Self.namespaces { return terminateNamespace(ref) }

        if propagation == .orphan { orphanDependents(of: uid) }

        if propagation == .foreground, !(dependents[uid] ?? []).isEmpty {
            object[path: "metadata", "deletionTimestamp"] = .string(Clock.now())
            object[path: "metadata", "deletionGracePeriodSeconds"] = .int(gracePeriod ?? 0)
            object[path: "metadata", "finalizers"] = .array((finalizers + [Self.foregroundFinalizer]).map(JSONValue.string))
            let old = self.object(ref)
            put(ref, object, old: old)
            for dependent in dependents[uid] ?? [] {
                _ = deleteObject(dependent, propagation: .foreground)
            }
            finishForegroundDeletion(ownerUID: uid)
            if let still = self.object(ref) { return (still, false) }
            return (object, true)
        }

        if !finalizers.isEmpty {
            object[path: "metadata", "deletionTimestamp"] = .string(Clock.now())
            object[path: "metadata", "deletionGracePeriodSeconds"] = .int(gracePeriod ?? 0)
            let old = self.object(ref)
            return (put(ref, object, old: old), false)
        }
        let final = remove(ref) ?? object
        afterRemoval(ref, final, propagation: propagation)
        return (final, true)
    }

    /// Everything that follows an object's removal: dependents collected, foreground owners and
    /// terminating namespaces finished, a CRD's resources withdrawn.
    mutating func afterRemoval(_ ref: ObjectRef, _ object: JSONValue, propagation: DeleteOptions.Propagation) {
        let uid = object[path: "metadata", "uid"]?.stringValue ?? ""
        if propagation != .orphan {
            for dependent in dependents[uid] ?? [] {
                guard let d = self.object(dependent) else { continue }
                // A dependent with another owner still present stays.
                let owners = Self.ownerUIDs(d)
                if owners.allSatisfy({ uids[$0] == nil }) {
                    _ = deleteObject(dependent, propagation: .background)
                }
            }
        }
        for owner in Self.ownerUIDs(object) { finishForegroundDeletion(ownerUID: owner) }
        if !ref.key.storeNamespace.isEmpty { finishNamespace(ref.key.storeNamespace) }
        if ref.resource == Self.crds { withdrawCRD(object) }
    }

    /// Removes the owner reference to `uid` from every dependent.
    mutating func orphanDependents(of uid: String) {
        for dependent in dependents[uid] ?? [] {
            guard var d = object(dependent) else { continue }
            let old = d
            let refs = d[path: "metadata", "ownerReferences"]?.arrayValue?.filter { $0["uid"]?.stringValue != uid } ?? []
            d[path: "metadata", "ownerReferences"] = refs.isEmpty ? JSONValue?.none : .array(refs)
            put(dependent, d, old: old)
        }
    }

    /// Drops the `foregroundDeletion` finalizer from an owner whose blocking dependents are gone.
    mutating func finishForegroundDeletion(ownerUID: String) {
        guard let ownerRef = uids[ownerUID], var owner = object(ownerRef),
            owner[path: "metadata", "deletionTimestamp"] != nil
        else { return }
        var finalizers = owner[path: "metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard finalizers.contains(Self.foregroundFinalizer) else { return }
        let blocking = (dependents[ownerUID] ?? []).contains { ref in
            guard let d = object(ref) else { return false }
            return d[path: "metadata", "ownerReferences"]?.arrayValue?.contains {
                $0["uid"]?.stringValue == ownerUID && $0["blockOwnerDeletion"]?.boolValue == true
            } ?? false
        }
        if blocking { return }
        finalizers.removeAll { $0 == Self.foregroundFinalizer }
        owner[path: "metadata", "finalizers"] = finalizers.isEmpty ? JSONValue?.none : .array(finalizers.map(JSONValue.string))
        if finalizers.isEmpty {
            let final = remove(ownerRef, finalState: owner) ?? owner
            afterRemoval(ownerRef, final, propagation: .background)
        } else {
            let old = object(ownerRef)
            put(ownerRef, owner, old: old)
        }
    }

    /// Namespace deletion: Terminating, every object in it deleted, then the namespace itself once
    /// it is empty and has no finalizers.
    private mutating func terminateNamespace(_ ref: ObjectRef) -> (JSONValue, Bool) {
        guard var ns = object(ref) else { return (.null, true) }
        let name = ref.key.name
        let old = ns
        ns[path: "metadata", "deletionTimestamp"] = .string(Clock.now())
        ns[path: "metadata", "deletionGracePeriodSeconds"] = 0
        ns[path: "status", "phase"] = "Terminating"
        put(ref, ns, old: old)
        for (gr, bucket) in buckets where gr != Self.namespaces {
            for key in bucket.order[bucket.order.range(inNamespace: name)] {
                _ = deleteObject(ObjectRef(resource: gr, key: key), propagation: .background)
            }
        }
        finishNamespace(name)
        if let still = object(ref) { return (still, false) }
        return (ns, true)
    }

    /// Removes a terminating namespace once nothing is left in it.
    mutating func finishNamespace(_ name: String) {
        let ref = ObjectRef(resource: Self.namespaces, key: ObjectKey(storeNamespace: "", name: name))
        guard var ns = object(ref), ns[path: "metadata", "deletionTimestamp"] != nil,
            (namespaceCounts[name] ?? 0) == 0,
            (ns[path: "metadata", "finalizers"]?.arrayValue ?? []).isEmpty
        else { return }
        ns[path: "spec", "finalizers"] = nil
        let final = remove(ref, finalState: ns) ?? ns
        afterRemoval(ref, final, propagation: .background)
    }

    /// A deleted CRD takes its custom resources with it and stops being served.
    private mutating func withdrawCRD(_ crd: JSONValue) {
        guard let name = crd[path: "metadata", "name"]?.stringValue,
            let group = crd[path: "spec", "group"]?.stringValue,
            let plural = crd[path: "spec", "names", "plural"]?.stringValue
        else { return }
        let gr = GroupResource(group: group, resource: plural)
        for key in Array(buckets[gr]?.order ?? ObjectKeyIndex()) {
            let ref = ObjectRef(resource: gr, key: key)
            if let final = remove(ref) { afterRemoval(ref, final, propagation: .background) }
        }
        cutWatches(resource: gr)
        registry.unregister(crdName: name)
    }
}
