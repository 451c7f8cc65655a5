import RoperatorClient

/// Converts between Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`) and the
/// JSON objects the store holds, for every built-in kind, driven by ``ProtobufSchema``.
///
/// - Objects travel as the `k8s\0` magic followed by a `runtime.Unknown` whose `typeMeta` names the
///   apiVersion and kind and whose `raw` holds the object's own message (``encodeObject(_:)``,
///   ``decodeObject(_:)``).
/// - Watch streams are 4-byte big-endian length-prefixed `meta.v1.WatchEvent` messages without the
///   envelope, whose `object` is a `RawExtension` holding the enveloped object (``watchFrame(type:object:)``).
///
/// Protobuf → JSON gives the JSON that kube-apiserver would write for the same Go object: a zero
/// in a Go value field with `omitempty` is dropped, an explicit zero in a pointer field is kept.
package struct ProtobufCodec: Sendable {
    let schema: ProtobufSchema

    /// The codec of the Kubernetes 1.33 built-in kinds.
    package init() {
        self.schema = .builtIn
    }

    /// The media type of objects and lists.
    package static let contentType = "application/vnd.kubernetes.protobuf"
    /// The media type of watch streams.
    package static let watchContentType = "application/vnd.kubernetes.protobuf;stream=watch"
    /// The four bytes in front of every enveloped object.
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]
}
