package import RoperatorClient

/// The embedded API server's storage and semantics engine: objects, resourceVersions, watches,
/// patches, server-side apply, deletion with finalizers and garbage collection.
///
/// One instance per server. Thread-safe: all state sits behind one lock (the resourceVersion
/// counter is global anyway); watchers get events through bounded buffers and a watcher whose
/// buffer is full is cut off, so writers never wait for readers. Garbage collection and namespace
/// termination run synchronously inside the write that triggers them.
///
/// ```swift
/// let store = ObjectStore()
/// let cm = store.registry.lookup(group: "", version: "v1", plural: "configmaps")!
/// let created = try store.create(cm, namespace: "default", object: ["metadata": ["name": "a"]])
/// ```
package final class ObjectStore: Sendable {
    /// Limits and initial content.
    package struct Configuration: Sendable {
        /// Events kept per resource for watch resumption; older resourceVersions get 410.
        package var eventWindow: Int
        /// Events a watcher may have outstanding before it is cut off.
        package var watchBuffer: Int
        /// Namespaces that exist from the start.
        package var initialNamespaces: [String]

        /// - Parameters:
        ///   - eventWindow: defaults to 10,000 events per resource.
        ///   - watchBuffer: defaults to 10,000 events per watcher.
        ///   - initialNamespaces: defaults to `default`, `kube-system`, `kube-public`, `kube-node-lease`.
        package init(
            eventWindow: Int = 10_000, watchBuffer: Int = 10_000,
            initialNamespaces: [String] = ["default", "kube-system", "kube-public", "kube-node-lease"]
        ) {
            self.eventWindow = max(1, eventWindow)
            self.watchBuffer = max(1, watchBuffer)
            self.initialNamespaces = initialNamespaces
        }
    }

    /// The result of a write that may create: the object and whether it was created (201) or not (200).
    package struct WriteResult: Sendable, Hashable {
        package var object: JSONValue
        package var created: Bool
    }

    /// The result of a delete: the object, and whether it is gone (`false`: finalizers keep it).
    package struct DeleteResult: Sendable, Hashable {
        package var object: JSONValue
        package var removed: Bool
    }

    /// The served types; CRD writes update it.
    package let registry: ResourceRegistry
    package let configuration: Configuration
    let state: Lock<StoreState>
    /// Bumped by every write to an RBAC object (the authorizer recompiles its policy then).
    package let policyChanges: PolicyChangeCounter

    /// A store holding only the initial namespaces.
    package init(registry: ResourceRegistry = ResourceRegistry(), configuration: Configuration = Configuration()) {
        self.registry = registry
        self.configuration = configuration
        let policyChanges = PolicyChangeCounter()
        self.policyChanges = policyChanges
        var s = StoreState(configuration: configuration, registry: registry, policyChanges: policyChanges)
        let nsInfo = registry.lookup(group: "", version: "v1", plural: "namespaces")!
        for name in configuration.initialNamespaces {
            do {
                _ = try s.create(
                    nsInfo, namespace: nil, body: ["metadata": ["name": .string(name)]],
                    options: WriteOptions(fieldManager: "kube-apiserver"))
            } catch {
                preconditionFailure("initial namespace \(name) rejected: \(error)")
            }
        }
        state = Lock(s)
    }

    /// Runs `body` under the lock, then finishes the watch streams it cut off (outside the lock,
    /// because finishing calls back into the store).
    func locked<T: Sendable>(_ body: (inout StoreState) throws(APIError) -> T) throws(APIError) -> T {
        let (result, finish) = state.withLock { s -> (Result<T, APIError>, [WatchQueue]) in
            let r: Result<T, APIError>
            do throws(APIError) { r = .success(try body(&s)) } catch { r = .failure(error) }
            let f = s.pendingFinish
            s.pendingFinish = []
            return (r, f)
        }
        for c in finish { c.finish() }
        return try result.get()
    }

    /// The current resourceVersion (the last write's).
    package var resourceVersion: Int64 { state.withLock { $0.resourceVersion } }

    /// POST: creates an object.
    ///
    /// - Parameters:
    ///   - info: the resource from the URL.
    ///   - namespace: the namespace from the URL (`nil` for cluster-scoped or when the body names it).
    ///   - object: the request body.
    /// - Returns: the stored object (201).
    /// - Throws: 409 AlreadyExists, 404 for a missing namespace, 422 for an invalid name, 400 for a
    ///   namespace or kind that does not match the URL.
    package func create(_ info: ResourceInfo, namespace: String?, object: JSONValue, options: WriteOptions = WriteOptions())
        throws(APIError) -> JSONValue
    {
        try creating(info, namespace: namespace, object: object, options: options).object
    }

    /// ``create(_:namespace:object:options:)``, with the event it published.
    func creating(_ info: ResourceInfo, namespace: String?, object: JSONValue, options: WriteOptions) throws(APIError)
        -> (object: JSONValue, event: StoreEvent?)
    {
        try writing(answering: \.self) { s throws(APIError) in try s.create(info, namespace: namespace, body: object, options: options) }
    }

    /// GET of one object.
    package func get(_ info: ResourceInfo, namespace: String?, name: String) throws(APIError) -> JSONValue {
        try locked { s throws(APIError) in
            StoreState.present(try s.existing(info, try s.key(info, namespace: namespace, name: name)), as: info)
        }
    }

    /// LIST: the `<Kind>List` with `metadata.resourceVersion` (and `continue` when paged).
    ///
    /// - Parameter namespace: `nil` lists across namespaces.
    package func list(_ info: ResourceInfo, namespace: String?, options: ListOptions = ListOptions()) throws(APIError)
        -> JSONValue
    {
        try locked { s throws(APIError) in try s.list(info, namespace: namespace, options: options) }
    }

    /// PUT of an object or of its `/status`.
    ///
    /// - Throws: 404, 409 for a stale `metadata.resourceVersion` or a different uid, 400 for a name
    ///   or namespace that does not match the URL, 422 for forbidden changes.
    package func replace(
        _ info: ResourceInfo, namespace: String?, name: String, object: JSONValue, subresource: Subresource = .main,
        options: WriteOptions = WriteOptions()
    ) throws(APIError) -> JSONValue {
        try replacing(info, namespace: namespace, name: name, object: object, subresource: subresource, options: options).object
    }

    /// ``replace(_:namespace:name:object:subresource:options:)``, with the event it published.
    func replacing(
        _ info: ResourceInfo, namespace: String?, name: String, object: JSONValue, subresource: Subresource, options: WriteOptions
    ) throws(APIError) -> (object: JSONValue, event: StoreEvent?) {
        try writing(answering: \.self) { s throws(APIError) in
            try s.update(
                info, key: try s.key(info, namespace: namespace, name: name), body: object,
                subresource: subresource, options: options)
        }
    }

    /// PATCH of an object or of its `/status`.
    ///
    /// - Parameters:
    ///   - type: from the Content-Type (`PatchType(contentType:)`).
    ///   - body: the raw request body (YAML is accepted for server-side apply).
    /// - Returns: the object; `created` only for a server-side apply that created it (201).
    /// - Throws: 404 (except apply), 415 for strategic merge on custom resources, 400 for a malformed
    ///   patch, 422 for a failed JSON patch operation, 409 for apply conflicts.
    package func patch(
        _ info: ResourceInfo, namespace: String?, name: String, type: PatchType, body: [UInt8],
        subresource: Subresource = .main, options: WriteOptions = WriteOptions()
    ) throws(APIError) -> WriteResult {
        try patching(info, namespace: namespace, name: name, type: type, body: body, subresource: subresource, options: options).result
    }

    /// ``patch(_:namespace:name:type:body:subresource:options:)``, with the event it published.
    func patching(
        _ info: ResourceInfo, namespace: String?, name: String, type: PatchType, body: [UInt8], subresource: Subresource,
        options: WriteOptions
    ) throws(APIError) -> (result: WriteResult, event: StoreEvent?) {
        try writing(answering: \.object) { s throws(APIError) in
            try s.patch(
                info, key: try s.key(info, namespace: namespace, name: name), type: type, body: body,
                subresource: subresource, options: options)
        }
    }

    /// Runs a write under the lock, with the event it published when that event carries exactly
    /// the object the write answers with (`answer`): the answer then sends the event's serialized
    /// object, one serialization for the answer and every watcher.
    private func writing<Result: Sendable>(
        answering answer: (Result) -> JSONValue, _ body: (inout StoreState) throws(APIError) -> Result
    ) throws(APIError) -> (Result, event: StoreEvent?) {
        try locked { s throws(APIError) in
            s.lastPublished = nil
            let result = try body(&s)
            return (result, s.publishedEvent(carrying: answer(result)))
        }
    }

    /// DELETE of one object.
    ///
    /// - Returns: the object; `removed` is `false` when finalizers (or foreground deletion) keep it.
    /// - Throws: 404, 409 when a precondition fails.
    package func delete(_ info: ResourceInfo, namespace: String?, name: String, options: DeleteOptions = DeleteOptions())
        throws(APIError) -> DeleteResult
    {
        try locked { s throws(APIError) in
            let (object, removed) = try s.delete(info, key: try s.key(info, namespace: namespace, name: name), options: options)
            return DeleteResult(object: object, removed: removed)
        }
    }

    /// DELETE of a collection: every object the list options select.
    ///
    /// - Returns: the `<Kind>List` of the objects as deleted.
    package func deleteCollection(
        _ info: ResourceInfo, namespace: String?, listOptions: ListOptions = ListOptions(),
        options: DeleteOptions = DeleteOptions()
    ) throws(APIError) -> JSONValue {
        try locked { s throws(APIError) in
            var selection = listOptions
            selection.limit = nil
            selection.continueToken = nil
            let list = try s.list(info, namespace: namespace, options: selection)
            var deleted: [JSONValue] = []
            for item in list["items"]?.arrayValue ?? [] {
                let key = ObjectKey(
                    storeNamespace: info.namespaced ? item[path: "metadata", "namespace"]?.stringValue ?? "" : "",
                    name: item[path: "metadata", "name"]?.stringValue ?? "")
                var perItem = options
                perItem.preconditionUID = nil
                perItem.preconditionResourceVersion = nil
                deleted.append(try s.delete(info, key: key, options: perItem).object)
            }
            var result = list
            result["items"] = .array(deleted)
            result[path: "metadata", "resourceVersion"] = .string(String(s.resourceVersion))
            return result
        }
    }

    /// WATCH: a stream of events for one resource (optionally one namespace), filtered by selectors.
    ///
    /// Without `resourceVersion` (or with `"0"`) it starts with ADDED for every matching object; from
    /// a resourceVersion still in the window it replays what followed; from an older one it yields a
    /// single ERROR event with a 410 Expired `Status` and ends.
    /// - Throws: 400 for malformed selectors or resourceVersion.
    package func watch(_ info: ResourceInfo, namespace: String?, options: WatchOptions = WatchOptions()) throws(APIError)
        -> WatchStream
    {
        let gr = info.groupResource
        let (id, queue) = try locked { s throws(APIError) in
            try s.watch(info, namespace: namespace, options: options) { [weak self] id in
                self?.state.withLock { $0.removeWatcher(gr, id: id) }
            }
        }
        return WatchStream(id: id, resource: gr, queue: queue, store: self)
    }

    /// Sends a BOOKMARK with the current resourceVersion to watchers that allowed bookmarks: all of
    /// them, those of one resource, or one watcher.
    package func sendBookmarks(resource: GroupResource? = nil, watcherID: Int? = nil) {
        try? locked { s in s.sendBookmarks(resource: resource, id: watcherID) }
    }

    /// Ends open watch streams (fault injection: "cut watches"), all or those of one resource or one watcher.
    package func cutWatches(resource: GroupResource? = nil, watcherID: Int? = nil) {
        try? locked { s in s.cutWatches(resource: resource, id: watcherID) }
    }

    /// One tick of periodic compaction (``EmbeddedAPIServer/Configuration/compactionInterval``):
    /// lists and continue tokens from before the previous tick get 410 Expired from now on.
    package func compactListHistory() {
        state.withLock { $0.compactListHistory() }
    }

    /// Drops every retained event (fault injection: compaction). Watches and continue tokens from
    /// earlier resourceVersions then get 410 Expired.
    package func compact() {
        try? locked { s in s.compact() }
    }

    /// Number of open watch streams, for tests and metrics.
    package var watcherCount: Int {
        state.withLock { s in s.buckets.values.reduce(0) { $0 + $1.watchers.count } }
    }

    /// Waits until background work triggered by earlier writes is done. Garbage collection and
    /// namespace termination run inside the triggering write, so this returns at once; it exists so
    /// callers need not know that.
    package func awaitQuiescence() async {}
}
