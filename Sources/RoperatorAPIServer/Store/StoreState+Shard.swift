import RoperatorClient

extension StoreState {
    /// Parses a `shardSelector` (KEP-5866); `nil` or empty selects everything.
    static func shardSelector(_ text: String?) throws(APIError) -> ShardSelector? {
        guard let text, !text.isEmpty else { return nil }
        do {
            return try ShardSelector(parsing: text)
        } catch {
            throw .badRequest(error.description)
        }
    }
}

extension ShardSelector {
    /// Whether the stored object (JSON) is selected: its UID or namespace hashes into a range.
    func matches(_ object: JSONValue) -> Bool {
        matches(
            uid: object[path: "metadata", "uid"]?.stringValue ?? "",
            namespace: object[path: "metadata", "namespace"]?.stringValue)
    }
}
