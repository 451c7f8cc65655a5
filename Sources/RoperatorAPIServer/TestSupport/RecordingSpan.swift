import RoperatorClient
public import Tracing

/// A span of ``RecordingTracer`` while it runs; it becomes a ``RecordedSpan`` when it ends.
public final class RecordingSpan: Span {
    /// The context of this span: what children start from and what is injected into requests.
    public let context: ServiceContext
    private let state: Lock<RecordedSpan>
    private let ended = Lock(false)
    private let onEnd: @Sendable (RecordedSpan) -> Void

    init(
        operationName: String, kind: SpanKind, context: ServiceContext, traceID: String, spanID: String,
        parentSpanID: String?, start: UInt64, onEnd: @escaping @Sendable (RecordedSpan) -> Void
    ) {
        self.context = context
        self.onEnd = onEnd
        self.state = Lock(
            RecordedSpan(
                operationName: operationName, kind: kind, traceID: traceID, spanID: spanID, parentSpanID: parentSpanID,
                startNanoseconds: start))
    }

    /// The span's name; it may change until the span ends.
    public var operationName: String {
        get { state.withLock { $0.operationName } }
        set { state.withLock { $0.operationName = newValue } }
    }

    /// The attributes set so far.
    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { $0.attributes = newValue } }
    }

    /// `true` until the span ends.
    public var isRecording: Bool { !ended.withLock { $0 } }

    /// Sets the status (the last one set wins).
    public func setStatus(_ status: SpanStatus) {
        state.withLock { $0.status = status }
    }

    /// Keeps `event`.
    public func addEvent(_ event: SpanEvent) {
        state.withLock { $0.events.append(event) }
    }

    /// Keeps `error` (its attributes and time are not kept).
    public func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {
        state.withLock { $0.errors.append(error) }
    }

    /// Links are not recorded.
    public func addLink(_ link: SpanLink) {}

    /// Ends the span and hands it to the tracer; later calls do nothing.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let first = ended.withLock { ended in
            defer { ended = true }
            return !ended
        }
        guard first else { return }
        let finished = state.withLock { span in
            span.endNanoseconds = instant().nanosecondsSinceEpoch
            return span
        }
        onEnd(finished)
    }
}
