extension KubeClient {
    /// Lists objects matching typed selectors, following `continue` tokens until the last page.
    ///
    /// ```swift
    /// let selector = try LabelSelector(parsing: "app=web,tier in (front,back)")
    /// let web = try await client.list(.pod, namespace: "default", labelSelector: selector)
    /// ```
    ///
    /// The selectors are sent in their canonical string form; see
    /// the string-selector overload for the rest.
    ///
    /// - Parameters:
    ///   - type: The type to list.
    ///   - namespace: Namespace for namespaced types; `nil` lists across all namespaces.
    ///   - labelSelector: Only objects whose labels match.
    ///   - fieldSelector: Only objects whose fields match; ``FieldSelector/everything`` (the default) adds no condition.
    ///   - pageSize: Items per request; `nil` uses ``Options/pageSize``; `0` asks for everything at once.
    /// - Returns: All matching items and the list's resourceVersion.
    /// - Throws: ``KubeAPIError`` (``KubeAPIError/isGone`` if a continue token expired), ``KubeClientError``.
    public func list(
        _ type: K8sType,
        namespace: String? = nil,
        labelSelector: LabelSelector,
        fieldSelector: FieldSelector = .everything,
        pageSize: Int? = nil
    ) async throws -> KubeList {
        try await list(
            type, namespace: namespace, labelSelector: labelSelector.description as String?,
            fieldSelector: fieldSelector.description as String?, pageSize: pageSize)
    }

    /// Lists objects matching a typed field selector, following `continue` tokens until the last page.
    ///
    /// ```swift
    /// let one = try await client.list(.configMap, fieldSelector: FieldSelector(parsing: "metadata.name=settings"))
    /// ```
    ///
    /// - Parameters:
    ///   - type: The type to list.
    ///   - namespace: Namespace for namespaced types; `nil` lists across all namespaces.
    ///   - fieldSelector: Only objects whose fields match.
    ///   - pageSize: Items per request; `nil` uses ``Options/pageSize``; `0` asks for everything at once.
    /// - Returns: All matching items and the list's resourceVersion.
    /// - Throws: ``KubeAPIError``, ``KubeClientError``.
    public func list(
        _ type: K8sType,
        namespace: String? = nil,
        fieldSelector: FieldSelector,
        pageSize: Int? = nil
    ) async throws -> KubeList {
        try await list(
            type, namespace: namespace, labelSelector: nil as String?, fieldSelector: fieldSelector.description as String?,
            pageSize: pageSize)
    }

    /// Starts a watch of the objects matching typed selectors.
    ///
    /// ```swift
    /// let events = try await client.watch(.pod, labelSelector: try LabelSelector(parsing: "app=web"),
    ///                                     resourceVersion: list.resourceVersion)
    /// ```
    ///
    /// - Parameters:
    ///   - type: The type to watch.
    ///   - namespace: Namespace for namespaced types; `nil` watches all namespaces.
    ///   - labelSelector: Only objects whose labels match.
    ///   - fieldSelector: Only objects whose fields match; ``FieldSelector/everything`` (the default) adds no condition.
    ///   - resourceVersion: Start after this version; `nil` starts with synthetic ADDED events.
    ///   - allowBookmarks: Ask the server for BOOKMARK events.
    ///   - timeoutSeconds: Server-side duration of the watch; `nil` leaves it to the server.
    /// - Returns: The stream, once the server has accepted the watch.
    /// - Throws: ``KubeAPIError`` when the server refuses it (410 when `resourceVersion` is too old).
    public func watch(
        _ type: K8sType,
        namespace: String? = nil,
        labelSelector: LabelSelector,
        fieldSelector: FieldSelector = .everything,
        resourceVersion: String? = nil,
        allowBookmarks: Bool = true,
        timeoutSeconds: Int? = nil
    ) async throws -> WatchEventStream {
        try await watch(
            type, namespace: namespace, labelSelector: labelSelector.description as String?,
            fieldSelector: fieldSelector.description as String?, resourceVersion: resourceVersion,
            allowBookmarks: allowBookmarks, timeoutSeconds: timeoutSeconds)
    }

    /// Starts a watch of the objects matching a typed field selector.
    ///
    /// - Parameters:
    ///   - type: The type to watch.
    ///   - namespace: Namespace for namespaced types; `nil` watches all namespaces.
    ///   - fieldSelector: Only objects whose fields match.
    ///   - resourceVersion: Start after this version; `nil` starts with synthetic ADDED events.
    ///   - allowBookmarks: Ask the server for BOOKMARK events.
    ///   - timeoutSeconds: Server-side duration of the watch; `nil` leaves it to the server.
    /// - Returns: The stream, once the server has accepted the watch.
    /// - Throws: ``KubeAPIError`` when the server refuses it.
    public func watch(
        _ type: K8sType,
        namespace: String? = nil,
        fieldSelector: FieldSelector,
        resourceVersion: String? = nil,
        allowBookmarks: Bool = true,
        timeoutSeconds: Int? = nil
    ) async throws -> WatchEventStream {
        try await watch(
            type, namespace: namespace, labelSelector: nil as String?, fieldSelector: fieldSelector.description as String?,
            resourceVersion: resourceVersion, allowBookmarks: allowBookmarks, timeoutSeconds: timeoutSeconds)
    }
}
