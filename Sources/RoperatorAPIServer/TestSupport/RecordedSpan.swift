public import Tracing

/// A span as ``RecordingTracer`` saw it end: name, kind, place in its trace, attributes, status
/// and errors.
public struct RecordedSpan: Sendable {
    /// The span's name, e.g. `GET pods` or `reconcile Echo`.
    public var operationName: String
    /// `client` for API requests, `internal` for the runtime's steps.
    public var kind: SpanKind
    /// 32 hex digits, shared by every span of one trace.
    public var traceID: String
    /// 16 hex digits.
    public var spanID: String
    /// The parent span's ID; `nil` for a root span.
    public var parentSpanID: String?
    /// The attributes at the end.
    public var attributes: SpanAttributes = [:]
    /// The status set on the span; `nil` when none was (unset).
    public var status: SpanStatus?
    /// Errors recorded on the span.
    public var errors: [any Error] = []
    /// Events added to the span.
    public var events: [SpanEvent] = []
    /// Start and end, in nanoseconds since 1970.
    public var startNanoseconds: UInt64
    public var endNanoseconds: UInt64 = 0

    /// Whether the span's status is an error.
    public var isError: Bool { status?.code == .error }

    /// The attribute `name`, if set.
    public subscript(attribute name: String) -> SpanAttribute? {
        attributes.get(name)
    }
}
