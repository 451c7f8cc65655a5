import RoperatorClient
public import Tracing

/// A tracer that keeps every finished span in memory, for tests that check what an operator
/// traces. It propagates W3C `traceparent` headers (`00-<trace id>-<span id>-01`) and reads them
/// back, like a real OpenTelemetry tracer.
///
/// Pass it where a tracer is asked for instead of bootstrapping it (bootstrapping is once per
/// process), so that each test sees only its own spans:
///
/// ```swift
/// let tracer = RecordingTracer()
/// let kit = try await TestKit.start(config.tracer(tracer), handler: MyHandler())
/// try await kit.createParent(parent)
/// try await kit.waitUntil("a reconcile was traced") { !tracer.spans(named: "reconcile MyKind").isEmpty }
/// ```
public final class RecordingTracer: Tracer {
    /// The spans it hands out.
    public typealias Span = RecordingSpan

    private let finished = Lock<[RecordedSpan]>([])

    /// A tracer with no spans yet.
    public init() {}

    /// Every span that ended so far, in the order they ended.
    public var finishedSpans: [RecordedSpan] { finished.withLock { $0 } }

    /// The finished spans called `name`.
    public func spans(named name: String) -> [RecordedSpan] {
        finishedSpans.filter { $0.operationName == name }
    }

    /// The finished spans whose parent is `span`.
    public func children(of span: RecordedSpan) -> [RecordedSpan] {
        finishedSpans.filter { $0.parentSpanID == span.spanID && $0.traceID == span.traceID }
    }

    /// Whether `span` descends from `ancestor` through finished spans.
    public func isDescendant(_ span: RecordedSpan, of ancestor: RecordedSpan) -> Bool {
        let byID = Dictionary(finishedSpans.map { ($0.spanID, $0) }, uniquingKeysWith: { first, _ in first })
        var current = span
        while let parentID = current.parentSpanID, current.traceID == ancestor.traceID {
            if parentID == ancestor.spanID { return true }
            guard let parent = byID[parentID] else { return false }
            current = parent
        }
        return false
    }

    /// Forgets the finished spans.
    public func removeAll() {
        finished.withLock { $0.removeAll() }
    }

    /// Starts a span: a child of the span in `context` if there is one (a local span, or a remote
    /// one read by ``extract(_:into:using:)``), else the root of a new trace.
    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> RecordingSpan {
        var context = context()
        let parent = context[TraceParentKey.self]
        let identity = TraceParent(traceID: parent?.traceID ?? Self.randomHex(bytes: 16), spanID: Self.randomHex(bytes: 8))
        context[TraceParentKey.self] = identity
        return RecordingSpan(
            operationName: operationName, kind: kind, context: context, traceID: identity.traceID,
            spanID: identity.spanID, parentSpanID: parent?.spanID, start: instant().nanosecondsSinceEpoch
        ) { [weak self] span in
            self?.finished.withLock { $0.append(span) }
        }
    }

    /// Nothing to flush: spans are kept as they end.
    public func forceFlush() {}

    /// Writes the span of `context` as a W3C `traceparent` field.
    public func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        guard let identity = context[TraceParentKey.self] else { return }
        injector.inject("00-\(identity.traceID)-\(identity.spanID)-01", forKey: "traceparent", into: &carrier)
    }

    /// Reads a W3C `traceparent` field into `context`, making its span the parent of the next one.
    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        guard let value = extractor.extract(key: "traceparent", from: carrier) else { return }
        let parts = value.split(separator: "-")
        guard parts.count == 4, parts[1].count == 32, parts[2].count == 16 else { return }
        context[TraceParentKey.self] = TraceParent(traceID: String(parts[1]), spanID: String(parts[2]))
    }

    private static func randomHex(bytes: Int) -> String {
        var text = ""
        text.reserveCapacity(bytes * 2)
        for _ in 0..<bytes {
            let byte = UInt8.random(in: 0...255)
            if byte < 16 { text += "0" }
            text += String(byte, radix: 16)
        }
        return text
    }
}

/// The trace and span a context belongs to.
struct TraceParent: Sendable, Hashable {
    var traceID: String
    var spanID: String
}

/// Where ``RecordingTracer`` keeps a span's identity in a `ServiceContext`.
enum TraceParentKey: ServiceContextKey {
    typealias Value = TraceParent
}
