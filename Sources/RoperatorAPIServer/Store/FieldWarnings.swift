import RoperatorClient
import NIOHTTP1

/// The warnings one write collects under `fieldValidation=Warn`: `duplicate field "spec.replicas"`
/// for each key the body repeats and `unknown field "spec.foo"` for each field dropped because the
/// schema does not describe it, each once, in the order met. The HTTP layer sends each as a
/// `Warning: 299 - "<text>"` header, as kube-apiserver does.
package final class FieldWarnings: Sendable, Hashable {
    private let texts = Lock<[String]>([])

    package init() {}

    /// Records `unknown field "<path>"` for each path not yet recorded.
    package func unknownFields(_ paths: [String]) {
        record(paths.map(Self.unknownField))
    }

    /// Records each text not yet recorded.
    package func record(_ new: [String]) {
        guard !new.isEmpty else { return }
        texts.withLock { texts in
            for text in new where !texts.contains(text) { texts.append(text) }
        }
    }

    /// `unknown field "<path>"`, kube-apiserver's wording for a field its schema does not describe.
    package static func unknownField(_ path: String) -> String { "unknown field \"\(path)\"" }

    /// The warnings so far.
    package var all: [String] { texts.withLock { $0 } }

    /// `299 - "<text>"`, the text's quotes and backslashes escaped as in an HTTP quoted-string.
    package static func headerValue(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\"" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "299 - \"\(escaped)\""
    }

    package static func == (lhs: FieldWarnings, rhs: FieldWarnings) -> Bool { lhs === rhs }
    package func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

extension APIResponse {
    /// The response with a `Warning` header for each collected warning.
    func warning(_ warnings: FieldWarnings?) -> APIResponse {
        guard let texts = warnings?.all, !texts.isEmpty else { return self }
        var response = self
        for text in texts { response.headers.add(name: "Warning", value: FieldWarnings.headerValue(text)) }
        return response
    }
}
