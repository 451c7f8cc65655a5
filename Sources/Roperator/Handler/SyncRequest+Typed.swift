public import RoperatorClient

extension SyncRequest {
    /// Existing children of a typed kind, decoded, sorted by namespace and name.
    ///
    /// ```swift
    /// let deployments = try request.children(of: Deployment.self)
    /// ```
    ///
    /// - Throws: ``CodingFailure`` naming the first child that does not decode.
    public func children<Child: K8sResource>(of type: Child.Type) throws(CodingFailure) -> [Child] {
        try children(of: Child.type, as: Child.self)
    }

    /// The existing child of a typed kind named `name`, decoded, or `nil` when there is none.
    ///
    /// - Parameters:
    ///   - type: A configured child kind.
    ///   - name: The child's `metadata.name`.
    ///   - namespace: Needed only to tell apart namespaced children of a cluster-scoped parent.
    /// - Throws: ``CodingFailure`` with the decoder's error.
    public func child<Child: K8sResource>(
        of type: Child.Type, named name: String, namespace: String? = nil
    ) throws(CodingFailure) -> Child? {
        try child(of: Child.type, named: name, namespace: namespace, as: Child.self)
    }
}
