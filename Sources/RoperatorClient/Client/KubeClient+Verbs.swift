extension KubeClient {
    /// Reads one object.
    ///
    /// ```swift
    /// let cm = try await client.get(.configMap, namespace: "default", name: "settings")
    /// ```
    ///
    /// - Parameters:
    ///   - type: The object's type.
    ///   - namespace: Namespace for namespaced types; `nil` uses the configuration's namespace.
    ///   - name: Object name.
    /// - Throws: ``KubeAPIError`` (``KubeAPIError/isNotFound`` when absent), ``KubeClientError``.
    public func get(_ type: K8sType, namespace: String? = nil, name: String) async throws -> KubeObject {
        try await sendObject(KubeRequest(method: "GET", path: type.path(namespace: scope(type, namespace), name: name)))
    }

    /// Lists objects, following `continue` tokens until the last page.
    ///
    /// ```swift
    /// let web = try await client.list(.pod, namespace: "default", labelSelector: "app=web")
    /// ```
    ///
    /// - Parameters:
    ///   - type: The type to list.
    ///   - namespace: Namespace for namespaced types; `nil` lists across all namespaces.
    ///   - labelSelector: e.g. `app=web,tier in (front,back)`.
    ///   - fieldSelector: e.g. `metadata.name=web`.
    ///   - pageSize: Items per request; `nil` uses ``Options/pageSize``; `0` asks for everything at once.
    ///   - shardSelector: A server-side shard selector (``ShardSelector/expression``, KEP-5866);
    ///     only servers with that feature honour it.
    /// - Returns: All items and the list's resourceVersion.
    /// - Throws: ``KubeAPIError`` (``KubeAPIError/isGone`` if a continue token expired), ``KubeClientError``.
    public func list(
        _ type: K8sType,
        namespace: String? = nil,
        labelSelector: String? = nil,
        fieldSelector: String? = nil,
        pageSize: Int? = nil,
        shardSelector: String? = nil
    ) async throws -> KubeList {
        let limit = pageSize ?? options.pageSize
        var items: [KubeObject] = []
        var resourceVersion = ""
        var token: String?
        repeat {
            let page = try await listPage(
                type, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector, limit: limit,
                continue: token, shardSelector: shardSelector)
            if items.isEmpty { items = page.items } else { items += page.items }
            resourceVersion = page.resourceVersion.isEmpty ? resourceVersion : page.resourceVersion
            token = page.continueToken
        } while token != nil
        return KubeList(items: items, resourceVersion: resourceVersion)
    }

    /// One page of a list: its items, the list's resourceVersion and the token for the next page
    /// (`nil` on the last).
    package func listPage(
        _ type: K8sType, namespace: String?, labelSelector: String?, fieldSelector: String?, limit: Int,
        continue token: String?, shardSelector: String?
    ) async throws -> (items: [KubeObject], resourceVersion: String, continueToken: String?) {
        var query: [(name: String, value: String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if let shardSelector, !shardSelector.isEmpty { query.append(("shardSelector", shardSelector)) }
        if limit > 0 { query.append(("limit", String(limit))) }
        if let token { query.append(("continue", token)) }
        let page = try await sendJSON(KubeRequest(method: "GET", path: type.path(namespace: namespace), query: query))
        guard let pageItems = page["items"]?.arrayValue ?? (page["items"]?.isNull == true ? [] : nil) else {
            throw KubeClientError(.invalidResponse, "list of \(type) has no items array")
        }
        var items: [KubeObject] = []
        items.reserveCapacity(pageItems.count)
        for (index, item) in pageItems.enumerated() {
            items.append(try Self.completing(item, as: type, from: "item \(index) of the list of \(type)"))
        }
        var next = page[path: "metadata", "continue"]?.stringValue
        if next?.isEmpty == true { next = nil }
        return (items, page[path: "metadata", "resourceVersion"]?.stringValue ?? "", next)
    }

    /// Creates an object.
    ///
    /// - Parameters:
    ///   - type: The object's type.
    ///   - object: The object; its `metadata.namespace`, or else the configuration's namespace, is used.
    ///   - fieldManager: Recorded in managedFields; `nil` uses ``Options/fieldManager``.
    /// - Returns: The object as stored (with uid, resourceVersion, defaults).
    /// - Throws: ``KubeAPIError`` (``KubeAPIError/isAlreadyExists``), ``KubeClientError``.
    public func create(_ type: K8sType, _ object: KubeObject, fieldManager: String? = nil) async throws -> KubeObject {
        try await sendObject(createRequest(type, object, fieldManager: fieldManager))
    }

    /// ``create(_:_:fieldManager:)`` that reads only the resourceVersion of the object the server
    /// answers with, for callers that learn the stored object from a watch anyway (the operator's
    /// children): decoding the whole answer costs as much as the watch event that follows it.
    ///
    /// - Returns: The new object's resourceVersion (`nil` if the answer has none).
    /// - Throws: as ``create(_:_:fieldManager:)``; ``JSONParseError`` for an answer that is not JSON.
    package func createReadingVersion(_ type: K8sType, _ object: KubeObject, fieldManager: String? = nil) async throws -> String? {
        try Self.resourceVersion(of: try await send(createRequest(type, object, fieldManager: fieldManager)))
    }

    /// ``replace(_:_:fieldManager:)`` that reads only the resourceVersion of the object the server
    /// answers with (see ``createReadingVersion(_:_:fieldManager:)``).
    package func replaceReadingVersion(_ type: K8sType, _ object: KubeObject, fieldManager: String? = nil) async throws -> String? {
        try Self.resourceVersion(of: try await send(putRequest(type, object, subresource: nil, fieldManager: fieldManager)))
    }

    private static func resourceVersion(of response: KubeResponse) throws -> String? {
        try response.body.withUnsafeBytes { bytes throws(JSONParseError) in try CompactObject.resourceVersion(in: bytes) }
    }

    /// ``patch(_:namespace:name:patch:as:fieldManager:)`` (or of the `status` subresource) that
    /// reads only the metadata of the object the server answers with (name, UID,
    /// resourceVersion, generation, deletion, owner references), not the rest.
    ///
    /// - Throws: ``KubeAPIError``, ``KubeClientError``, ``JSONParseError`` for an answer that
    ///   is not a JSON object.
    package func patchReadingMetadata(
        _ type: K8sType, namespace: String? = nil, name: String, subresource: String? = nil, patch: JSONValue, as patchType: PatchType,
        fieldManager: String? = nil
    ) async throws -> CompactObject.Metadata {
        let response = try await send(
            patchRequest(
                type, namespace: namespace, name: name, subresource: subresource, patch: patch, as: patchType, fieldManager: fieldManager))
        return try Self.metadata(of: response, what: "a patch of \(name)")
    }

    /// The metadata of the object in a write's answer, read without decoding the rest.
    private static func metadata(of response: KubeResponse, what: @autoclosure () -> String) throws -> CompactObject.Metadata {
        let scan = try response.body.withUnsafeBytes { bytes throws(JSONParseError) in
            try CompactObject.scan(droppingManagedFields: bytes)
        }
        guard let scan else { throw JSONParseError(offset: 0, reason: "the answer to \(what()) is not a JSON object") }
        return scan.metadata
    }

    private func createRequest(_ type: K8sType, _ object: KubeObject, fieldManager: String?) -> KubeRequest {
        KubeRequest(
            method: "POST", path: type.path(namespace: scope(type, object.namespace)),
            query: fieldManagerQuery(fieldManager), body: object.json.serializedBytes(sortedKeys: false), contentType: "application/json")
    }

    /// Replaces an object (PUT). With `metadata.resourceVersion` set, the write fails with a conflict
    /// if the object changed since it was read.
    ///
    /// - Parameters:
    ///   - type: The object's type.
    ///   - object: The full new object, with `metadata.name` set.
    ///   - fieldManager: Recorded in managedFields; `nil` uses ``Options/fieldManager``.
    /// - Returns: The object as stored.
    /// - Throws: ``KubeAPIError`` (``KubeAPIError/isConflict``), ``KubeClientError``.
    public func replace(_ type: K8sType, _ object: KubeObject, fieldManager: String? = nil) async throws -> KubeObject {
        try await put(type, object, subresource: nil, fieldManager: fieldManager)
    }

    /// Patches an object.
    ///
    /// ```swift
    /// try await client.patch(.configMap, namespace: "default", name: "settings",
    ///                        patch: ["data": ["mode": "slow"]], as: .merge)
    /// ```
    ///
    /// - Parameters:
    ///   - type: The object's type.
    ///   - namespace: Namespace for namespaced types; `nil` uses the configuration's namespace.
    ///   - name: Object name.
    ///   - patch: The patch document (an array of operations for ``PatchType/jsonPatch``).
    ///   - patchType: How the server applies it.
    ///   - fieldManager: For non-apply patches; `nil` uses ``Options/fieldManager``.
    /// - Returns: The patched object.
    public func patch(
        _ type: K8sType, namespace: String? = nil, name: String, patch: JSONValue, as patchType: PatchType,
        fieldManager: String? = nil
    ) async throws -> KubeObject {
        try await sendPatch(
            type, namespace: namespace, name: name, subresource: nil, patch: patch, as: patchType, fieldManager: fieldManager)
    }

    /// Deletes an object.
    ///
    /// - Parameters:
    ///   - type: The object's type.
    ///   - namespace: Namespace for namespaced types; `nil` uses the configuration's namespace.
    ///   - name: Object name.
    ///   - deleteOptions: Propagation, preconditions, grace period (the `options:` argument).
    /// - Returns: The object when it still exists (finalizers or a grace period pending), `nil` when
    ///   the server answered with a success `Status` (it is gone).
    /// - Throws: ``KubeAPIError`` (``KubeAPIError/isNotFound``; ``KubeAPIError/isConflict`` when a precondition fails).
    @discardableResult
    public func delete(
        _ type: K8sType, namespace: String? = nil, name: String, options deleteOptions: DeleteOptions = DeleteOptions()
    ) async throws -> KubeObject? {
        let body = deleteOptions.body
        let request = KubeRequest(
            method: "DELETE", path: type.path(namespace: scope(type, namespace), name: name),
            body: body?.serializedBytes(sortedKeys: false), contentType: body == nil ? nil : "application/json")
        let json = try await sendJSON(request)
        if json["kind"]?.stringValue == "Status" { return nil }
        return try Self.responseObject(json, from: "the response to DELETE \(request.path)")
    }

    /// Reads an object through its `status` subresource.
    public func getStatus(_ type: K8sType, namespace: String? = nil, name: String) async throws -> KubeObject {
        let request = KubeRequest(method: "GET", path: type.path(namespace: scope(type, namespace), name: name, subresource: "status"))
        return try await sendObject(request)
    }

    /// Replaces an object's `status` (PUT on the subresource; other changes are ignored by the server).
    ///
    /// - Throws: ``KubeAPIError`` (``KubeAPIError/isConflict`` on a stale resourceVersion).
    public func replaceStatus(_ type: K8sType, _ object: KubeObject, fieldManager: String? = nil) async throws -> KubeObject {
        try await put(type, object, subresource: "status", fieldManager: fieldManager)
    }

    /// Patches an object's `status` subresource.
    public func patchStatus(
        _ type: K8sType, namespace: String? = nil, name: String, patch: JSONValue, as patchType: PatchType,
        fieldManager: String? = nil
    ) async throws -> KubeObject {
        try await sendPatch(
            type, namespace: namespace, name: name, subresource: "status", patch: patch, as: patchType, fieldManager: fieldManager)
    }

    // MARK: - Shared

    /// The namespace a single-object call addresses: none for cluster-scoped types, else the given
    /// one or the configuration's default.
    func scope(_ type: K8sType, _ namespace: String?) -> String? {
        type.namespaced ? (namespace ?? configuration.namespace) : nil
    }

    private func fieldManagerQuery(_ fieldManager: String?) -> [(name: String, value: String)] {
        guard let manager = fieldManager ?? options.fieldManager else { return [] }
        return [("fieldManager", manager)]
    }

    private func put(_ type: K8sType, _ object: KubeObject, subresource: String?, fieldManager: String?) async throws -> KubeObject {
        try await sendObject(putRequest(type, object, subresource: subresource, fieldManager: fieldManager))
    }

    private func putRequest(_ type: K8sType, _ object: KubeObject, subresource: String?, fieldManager: String?) throws -> KubeRequest {
        guard let name = object.name else {
            throw KubeClientError(.invalidConfiguration, "cannot replace a \(type.kind) without metadata.name")
        }
        return KubeRequest(
            method: "PUT", path: type.path(namespace: scope(type, object.namespace), name: name, subresource: subresource),
            query: fieldManagerQuery(fieldManager), body: object.json.serializedBytes(sortedKeys: false), contentType: "application/json")
    }

    private func sendPatch(
        _ type: K8sType, namespace: String?, name: String, subresource: String?, patch: JSONValue, as patchType: PatchType,
        fieldManager: String?
    ) async throws -> KubeObject {
        try await sendObject(
            patchRequest(
                type, namespace: namespace, name: name, subresource: subresource, patch: patch, as: patchType, fieldManager: fieldManager))
    }

    private func patchRequest(
        _ type: K8sType, namespace: String?, name: String, subresource: String?, patch: JSONValue, as patchType: PatchType,
        fieldManager: String?
    ) -> KubeRequest {
        var query: [(name: String, value: String)]
        switch patchType {
        case .apply(let manager, let force):
            query = [("fieldManager", manager)]
            if force { query.append(("force", "true")) }
        default:
            query = fieldManagerQuery(fieldManager)
        }
        return KubeRequest(
            method: "PATCH", path: type.path(namespace: scope(type, namespace), name: name, subresource: subresource),
            query: query, body: patch.serializedBytes(sortedKeys: false), contentType: patchType.contentType)
    }
}
