import RoperatorClient

/// Counts the resource requests the embedded server answered, per verb, so that tests and
/// benchmarks can check how many API writes an operator made (for example none once it is idle).
///
/// Reached in process through ``EmbeddedAPIServer/requests``, and over HTTP at `/metrics` as
/// `apiserver_request_total{verb="..."}` lines, the metric name the real API server uses, so that
/// a client in another process can read the same figures.
///
/// ```swift
/// let before = server.requests.writes
/// // ... let the operator settle ...
/// #expect(server.requests.writes == before)
/// ```
public final class RequestCounter: Sendable {
    private let counts = Lock<[APIVerb: Int]>([:])
    private let openAPIV2 = Lock(0)

    init() {}

    func recordOpenAPIV2() {
        openAPIV2.withLock { $0 += 1 }
    }

    /// Times `/openapi/v2` was served: kubectl asks for it for client-side apply, for
    /// `explain --output=plaintext-openapiv2` and (1.27) to learn whether the server validates fields.
    public var openAPIV2Documents: Int {
        openAPIV2.withLock { $0 }
    }

    func record(_ verb: APIVerb) {
        counts.withLock { $0[verb, default: 0] += 1 }
    }

    /// Requests answered so far with `verb`, failed ones included (injected faults excluded).
    public func count(of verb: APIVerb) -> Int {
        counts.withLock { $0[verb] ?? 0 }
    }

    /// Requests answered so far with a verb that changes state: create, update, patch, delete
    /// and deletecollection (status subresource writes included).
    public var writes: Int {
        counts.withLock { counts in APIVerb.writeVerbs.reduce(0) { $0 + (counts[$1] ?? 0) } }
    }

    /// The counts as Prometheus text: one `apiserver_request_total{verb="..."}` line per verb.
    var prometheusText: String {
        let snapshot = counts.withLock { $0 }
        var text = "# TYPE apiserver_request_total counter\n"
        for verb in APIVerb.allCases {
            text += "apiserver_request_total{verb=\"\(verb.rawValue)\"} \(snapshot[verb] ?? 0)\n"
        }
        return text
    }
}

extension APIVerb {
    /// The verbs that change state.
    static let writeVerbs: [APIVerb] = [.create, .update, .patch, .delete, .deletecollection]
}
