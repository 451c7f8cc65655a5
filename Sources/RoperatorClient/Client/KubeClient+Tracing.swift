import NIOHTTP1
import Tracing

extension KubeClient {
    /// The tracer requests are traced with, or `nil` when tracing is off (the `NoOpTracer`): then
    /// no span, clock read, attribute or span name is made.
    ///
    /// Looked up per request rather than once, so that a tracer bootstrapped after the client was
    /// made, or one scoped with `withTracer`, applies.
    var activeTracer: (any Tracer)? {
        let tracer = options.tracer ?? InstrumentationSystem.tracer
        return tracer is NoOpTracer ? nil : tracer
    }

    /// Sends one attempt inside a client span named `<METHOD> <resource>` (`GET pods`,
    /// `PATCH configmaps/status`) that carries the OpenTelemetry HTTP client attributes; the
    /// span's context travels to the server in the request headers (`traceparent` with a W3C
    /// tracer).
    ///
    /// The span covers one attempt only: a retry is a span of its own with
    /// `http.request.resend_count`, and a watch's span ends once the stream is established.
    func traced(
        _ request: KubeRequest, _ headers: HTTPHeaders, attempt: Int, streaming: Bool,
        _ exchange: (HTTPHeaders) async throws -> Exchange
    ) async throws -> Exchange {
        guard let tracer = activeTracer else {
            // No tracer, but a propagation-only instrument may still want its context sent along.
            guard let context = ServiceContext.current else { return try await exchange(headers) }
            var headers = headers
            InstrumentationSystem.instrument.inject(context, into: &headers, using: HTTPHeadersInjector())
            return try await exchange(headers)
        }
        let resource = ResourcePath(path: request.path)
        let name = resource.map { "\(request.method) \($0.qualifiedResource)" } ?? request.method
        return try await tracer.withSpan(name, ofKind: .client) { span in
            var headers = headers
            // The configured tracer, else the whole active instrument: a bootstrapped multiplex may
            // hold propagators (baggage, vendor headers) besides the tracer.
            let propagator: any Instrument = options.tracer ?? InstrumentationSystem.instrument
            propagator.inject(span.context, into: &headers, using: HTTPHeadersInjector())
            if span.isRecording {
                describe(span, request: request, resource: resource, attempt: attempt, streaming: streaming)
            }
            let result: Exchange
            do {
                result = try await exchange(headers)
            } catch {
                // withSpan records the error and the status; OpenTelemetry also wants its type.
                if span.isRecording { span.attributes["error.type"] = "\(type(of: error))" }
                throw error
            }
            let status = result.status
            if span.isRecording { span.attributes["http.response.status_code"] = status }
            if status >= 400 {
                // Client spans count every 4xx and 5xx as an error (OpenTelemetry HTTP conventions).
                if span.isRecording { span.attributes["error.type"] = "\(status)" }
                span.setStatus(SpanStatus(code: .error))
            }
            return result
        }
    }

    /// The request's attributes: OpenTelemetry's HTTP client ones and the Kubernetes resource.
    private func describe(
        _ span: some Span, request: KubeRequest, resource: ResourcePath?, attempt: Int, streaming: Bool
    ) {
        span.updateAttributes { attributes in
            attributes["http.request.method"] = request.method
            attributes["server.address"] = endpoint.host
            attributes["server.port"] = endpoint.port ?? (endpoint.isTLS ? 443 : 80)
            attributes["url.full"] = baseURL + request.target
            if attempt > 1 { attributes["http.request.resend_count"] = attempt - 1 }
            guard let resource else { return }
            attributes["k8s.verb"] = resource.verb(method: request.method, watch: streaming)
            attributes["k8s.resource"] = resource.resource
            if !resource.group.isEmpty { attributes["k8s.api_group"] = resource.group }
            if let subresource = resource.subresource { attributes["k8s.subresource"] = subresource }
            if let namespace = resource.namespace { attributes["k8s.namespace.name"] = namespace }
            if let name = resource.name { attributes["k8s.object.name"] = name }
        }
    }
}
