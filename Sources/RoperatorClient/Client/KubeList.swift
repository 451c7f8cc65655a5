/// The result of a list call: every item across all pages, and the collection's resourceVersion
/// (the point to start a watch from).
public struct KubeList: Sendable, Hashable {
    /// The objects, each with `apiVersion` and `kind` filled in (the API server omits them on list items).
    public var items: [KubeObject]
    /// `metadata.resourceVersion` of the list.
    public var resourceVersion: String

    /// A list result.
    public init(items: [KubeObject], resourceVersion: String) {
        self.items = items
        self.resourceVersion = resourceVersion
    }
}
