import RoperatorClient

extension StoreState {
    /// etcd's default request limit (`--max-request-bytes`): kube-apiserver cannot store a larger object.
    static let maximumObjectSize = 1536 * 1024

    /// Refuses an object etcd would refuse, with the error kube-apiserver passes on (a 500 whose
    /// message is etcd's).
    static func checkStoredSize(_ object: JSONValue) throws(APIError) {
        guard object.encodedSizeExceeds(maximumObjectSize) else { return }
        throw APIError(code: 500, reason: "", message: "etcdserver: request is too large")
    }
}

extension JSONValue {
    /// Whether the JSON encoding of this value is longer than about `limit` bytes, estimated
    /// without encoding it (strings by their UTF-8 length without escapes, numbers as 20 bytes).
    func encodedSizeExceeds(_ limit: Int) -> Bool {
        var remaining = limit
        return !Self.fits(self, &remaining)
    }

    private static func fits(_ value: JSONValue, _ remaining: inout Int) -> Bool {
        switch value {
        case .null, .bool: remaining -= 5
        case .int, .double: remaining -= 20
        case .string(let s): remaining -= s.utf8.count + 2
        case .array(let items):
            remaining -= 2 + items.count
            for item in items where !fits(item, &remaining) { return false }
        case .object(let members):
            remaining -= 2
            for (key, member) in members {
                remaining -= key.utf8.count + 4
                if !fits(member, &remaining) { return false }
            }
        }
        return remaining >= 0
    }
}
