import RoperatorClient
import Tracing

/// The runtime's spans: a `reconcile <Kind>` root span per reconcile of a parent, with a child
/// span per step (`handler.sync`, `handler.finalize`, `children.apply`, `status.write`,
/// `finalizer.add`, `finalizer.remove`). The client's request spans and the handler's own spans
/// nest below them through the task-local `ServiceContext`.
///
/// With no tracer (the `NoOpTracer`) none of this runs: a reconcile makes one tracer lookup and
/// each step one task-local read, and no span, clock read, name or attribute is made.
enum ReconcileTracing {
    /// The tracer of the reconcile running in this task; `nil` outside one and when tracing is off.
    @TaskLocal static var tracer: (any Tracer)?

    /// The tracer spans go to: the configured one, else the active one; `nil` when that is the `NoOpTracer`.
    static func resolve(_ configured: (any Tracer)?) -> (any Tracer)? {
        let tracer = configured ?? InstrumentationSystem.tracer
        return tracer is NoOpTracer ? nil : tracer
    }

    /// Runs one reconcile inside its root span, with `tracer` as the tracer of its steps and, when
    /// `scoped`, as the active tracer of everything it calls (handler, client).
    static func reconcile<T>(
        _ name: String, tracer: any Tracer, scoped: Bool, _ body: (any Span) async throws -> T
    ) async throws -> T {
        try await $tracer.withValue(tracer) {
            guard scoped else { return try await rootSpan(name, tracer: tracer, body) }
            return try await withTracer(tracer) { try await rootSpan(name, tracer: tracer, body) }
        }
    }

    /// A reconcile starts a trace of its own: whatever context the queue's task carries (say, an
    /// operator started inside a span) is not its cause.
    private nonisolated(nonsending) static func rootSpan<T>(
        _ name: String, tracer: any Tracer, _ body: (any Span) async throws -> T
    ) async throws -> T {
        try await tracer.withSpan(name, context: .topLevel, ofKind: .internal) { span in try await body(span) }
    }

    /// Runs `body` in a child span `name` of the current reconcile's span, or directly (with `nil`)
    /// when tracing is off. A thrown error is recorded on the span and marks it failed.
    nonisolated(nonsending) static func step<T>(_ name: String, _ body: ((any Span)?) async throws -> T) async rethrows -> T {
        guard let tracer else { return try await body(nil) }
        return try await tracer.withSpan(name, ofKind: .internal) { span in try await body(span) }
    }

    /// Marks `span` failed with `errors` recorded, for steps that report failures without throwing.
    static func fail(_ span: (any Span)?, with errors: [any Error]) {
        guard let span, !errors.isEmpty else { return }
        for error in errors { span.recordError(error) }
        span.setStatus(SpanStatus(code: .error))
    }
}
