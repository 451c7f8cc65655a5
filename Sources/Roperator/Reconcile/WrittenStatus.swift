import RoperatorClient

/// The status last written for one parent.
struct WrittenStatus: Sendable {
    /// The parent resourceVersion the write was based on.
    var basedOn: String
    /// What was written.
    var status: JSONValue
    /// The parent's generation after the write.
    var generationAfter: Int64?
}
