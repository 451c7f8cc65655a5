extension KubeClient {
    /// Starts a watch and returns its events as they arrive.
    ///
    /// Most callers want ``Watcher``, which adds the initial list, reconnection and relisting.
    ///
    /// ```swift
    /// let list = try await client.list(.configMap, namespace: "default")
    /// for try await event in try await client.watch(.configMap, namespace: "default",
    ///                                                resourceVersion: list.resourceVersion) {
    ///     print(event)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - type: The type to watch.
    ///   - namespace: Namespace for namespaced types; `nil` watches all namespaces.
    ///   - labelSelector: Label selector string.
    ///   - fieldSelector: Field selector string.
    ///   - resourceVersion: Start after this version (usually a list's); `nil` starts with synthetic
    ///     ADDED events for every current object.
    ///   - allowBookmarks: Ask the server for BOOKMARK events.
    ///   - timeoutSeconds: Server-side duration of the watch; `nil` leaves it to the server.
    ///   - shardSelector: A server-side shard selector (``ShardSelector/expression``, KEP-5866);
    ///     only servers with that feature honour it.
    /// - Returns: The stream, once the server has accepted the watch.
    /// - Throws: ``KubeAPIError`` when the server refuses it (410 when `resourceVersion` is too old).
    public func watch(
        _ type: K8sType,
        namespace: String? = nil,
        labelSelector: String? = nil,
        fieldSelector: String? = nil,
        resourceVersion: String? = nil,
        allowBookmarks: Bool = true,
        timeoutSeconds: Int? = nil,
        shardSelector: String? = nil
    ) async throws -> WatchEventStream {
        var query: [(name: String, value: String)] = [("watch", "true")]
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion, !resourceVersion.isEmpty { query.append(("resourceVersion", resourceVersion)) }
        if allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
        if let timeoutSeconds { query.append(("timeoutSeconds", String(timeoutSeconds))) }
        if let shardSelector, !shardSelector.isEmpty { query.append(("shardSelector", shardSelector)) }
        let request = KubeRequest(method: "GET", path: type.path(namespace: namespace), query: query)
        switch try await perform(request, streaming: true) {
        case .streaming(let response):
            return WatchEventStream(body: response.body, type: type, maxLineLength: options.maxWatchLineLength)
        case .complete:
            preconditionFailure("a streaming request returned a complete response")
        }
    }
}
