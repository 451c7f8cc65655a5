public import RoperatorClient

/// Identifies a parent in the work queue: the client's ``ObjectKey`` under the name the runtime's
/// API has always used.
public typealias ParentKey = ObjectKey

extension ObjectKey {
    /// FNV-1a over namespace and name: stable across processes (unlike `hashValue`), so a key
    /// always lands in the same shard.
    var stableHash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (namespace ?? "").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0x2f) &* 0x100_0000_01b3
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
