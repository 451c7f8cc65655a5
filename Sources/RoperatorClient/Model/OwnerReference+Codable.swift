/// The `metav1.OwnerReference` JSON form, so typed models (`ObjectMeta.ownerReferences`) use this type.
extension OwnerReference: Codable {
    private enum CodingKeys: String, CodingKey {
        case apiVersion, kind, name, uid, controller, blockOwnerDeletion
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            apiVersion: try c.decode(String.self, forKey: .apiVersion),
            kind: try c.decode(String.self, forKey: .kind),
            name: try c.decode(String.self, forKey: .name),
            uid: try c.decode(String.self, forKey: .uid),
            controller: try c.decodeIfPresent(Bool.self, forKey: .controller),
            blockOwnerDeletion: try c.decodeIfPresent(Bool.self, forKey: .blockOwnerDeletion)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(apiVersion, forKey: .apiVersion)
        try c.encode(kind, forKey: .kind)
        try c.encode(name, forKey: .name)
        try c.encode(uid, forKey: .uid)
        try c.encodeIfPresent(controller, forKey: .controller)
        try c.encodeIfPresent(blockOwnerDeletion, forKey: .blockOwnerDeletion)
    }
}
