import RoperatorClient

/// Built OpenAPI documents, kept until the set of served resources changes: kubectl fetches the
/// root and a document per command, and building them is far slower than serving them.
/// `Document` is a JSON document (`/openapi/v3`) or encoded bytes (`/openapi/v2`).
final class OpenAPICache<Document: Sendable>: Sendable {
    private let entries = Lock<(generation: Int, documents: [String: Document])>((-1, [:]))

    /// The document under `key` for registry generation `generation`, built by `build` when missing.
    func document(_ key: String, generation: Int, build: () -> Document?) -> Document? {
        if let cached = entries.withLock({ $0.generation == generation ? $0.documents[key] : nil }) {
            return cached
        }
        guard let built = build() else { return nil }
        entries.withLock { entries in
            if entries.generation != generation {
                entries = (generation, [:])
            }
            entries.documents[key] = built
        }
        return built
    }
}
