import NIOHTTP1
import Tracing

/// Writes propagation fields (W3C `traceparent`, `tracestate`, baggage) into request headers,
/// replacing any of the same name so that a retried request never carries two.
struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}
