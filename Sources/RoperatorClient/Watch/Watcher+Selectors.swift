extension Watcher {
    /// A watcher of the objects matching typed selectors.
    ///
    /// ```swift
    /// let watcher = Watcher(client: client, type: .pod, labelSelector: try LabelSelector(parsing: "app=web"))
    /// ```
    ///
    /// - Parameters:
    ///   - client: The client to list and watch with.
    ///   - type: The type to follow.
    ///   - namespace: Namespace for namespaced types; `nil` follows all namespaces.
    ///   - labelSelector: Only objects matching this label selector.
    ///   - fieldSelector: Only objects matching this field selector; ``FieldSelector/everything`` (the default) for all.
    ///   - configuration: Backoff and timing.
    public init(
        client: KubeClient, type: K8sType, namespace: String? = nil, labelSelector: LabelSelector,
        fieldSelector: FieldSelector = .everything, configuration: Configuration = Configuration()
    ) {
        self.init(
            client: client, type: type, namespace: namespace, labelSelector: Self.queryValue(labelSelector.description),
            fieldSelector: Self.queryValue(fieldSelector.description), configuration: configuration)
    }

    /// A watcher of the objects matching a typed field selector.
    ///
    /// - Parameters:
    ///   - client: The client to list and watch with.
    ///   - type: The type to follow.
    ///   - namespace: Namespace for namespaced types; `nil` follows all namespaces.
    ///   - fieldSelector: Only objects matching this field selector.
    ///   - configuration: Backoff and timing.
    public init(
        client: KubeClient, type: K8sType, namespace: String? = nil, fieldSelector: FieldSelector,
        configuration: Configuration = Configuration()
    ) {
        self.init(
            client: client, type: type, namespace: namespace, labelSelector: nil as String?,
            fieldSelector: Self.queryValue(fieldSelector.description), configuration: configuration)
    }

    /// An empty selector selects everything; it is stored as `nil` so ``labelSelector`` and
    /// ``fieldSelector`` read the same as with the string initializer.
    private static func queryValue(_ text: String) -> String? {
        text.isEmpty ? nil : text
    }
}
