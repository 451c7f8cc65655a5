/// Query parameters of a list request, as strings from the URL; the store parses and validates them.
package struct ListOptions: Sendable, Hashable {
    /// `labelSelector`, e.g. `app=web,tier in (a,b),!legacy`.
    package var labelSelector: String?
    /// `fieldSelector`, e.g. `metadata.name=web`.
    package var fieldSelector: String?
    /// `limit`: page size; `nil` or 0 for everything.
    package var limit: Int?
    /// `continue`: token from the previous page.
    package var continueToken: String?
    /// `resourceVersion`.
    package var resourceVersion: String?
    /// `resourceVersionMatch`: `Exact` or `NotOlderThan`.
    package var resourceVersionMatch: String?
    /// `shardSelector` (KEP-5866): `shardRange(object.metadata.uid, '0x0', '0x8000000000000000') || …`.
    package var shardSelector: String?

    package init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
        resourceVersion: String? = nil, resourceVersionMatch: String? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
    }
}
