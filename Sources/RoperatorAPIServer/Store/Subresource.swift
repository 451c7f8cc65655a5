/// Which part of an object a write addresses.
package enum Subresource: String, Sendable, Hashable {
    /// The object itself (`status` is ignored when the type has a status subresource).
    case main = ""
    /// `/status`: only `status` changes.
    case status
}
