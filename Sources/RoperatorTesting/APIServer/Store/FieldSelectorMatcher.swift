import Foundation
import RoperatorClient

/// A parsed `fieldSelector`: `field=value`, `field==value`, `field!=value`, comma-separated.
///
/// Every type supports `metadata.name` and `metadata.namespace`; a few types support more fields,
/// as on a real server. Other fields are a 400.
struct FieldSelectorMatcher: Sendable, Hashable {
    struct Requirement: Sendable, Hashable {
        var path: [String]
        var value: String
        var negated: Bool
    }

    var requirements: [Requirement]

    /// Fields beyond `metadata.name`/`metadata.namespace` that the real server indexes, by kind.
    static let extraFields: [String: Set<String>] = [
        "Pod": ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                "status.phase", "status.podIP", "status.nominatedNodeName"],
        "Secret": ["type"],
        "Event": ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                  "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                  "reason", "reportingComponent", "source", "type", "regarding.kind", "regarding.name",
                  "regarding.namespace", "regarding.uid"],
        "Namespace": ["status.phase"],
        "Node": ["spec.unschedulable"],
        "Job": ["status.successful"],
        "ReplicaSet": ["status.replicas"],
    ]

    /// - Throws: 400 BadRequest for malformed selectors and unsupported fields.
    init(parsing text: String, kind: String) throws(APIError) {
        requirements = []
        for part in text.split(separator: ",") {
            let p = String(part)
            var field: Substring
            var value: Substring
            var negated = false
            if let r = p.range(of: "!=") {
                field = p[..<r.lowerBound]
                value = p[r.upperBound...]
                negated = true
            } else if let r = p.range(of: "==") {
                field = p[..<r.lowerBound]
                value = p[r.upperBound...]
            } else if let r = p.range(of: "=") {
                field = p[..<r.lowerBound]
                value = p[r.upperBound...]
            } else {
                throw .badRequest("invalid selector: '\(text)'; can't understand '\(p)'")
            }
            field = field.drop(while: { $0 == " " })
            while field.last == " " { field = field.dropLast() }
            value = value.drop(while: { $0 == " " })
            let name = String(field)
            guard name == "metadata.name" || name == "metadata.namespace" || Self.extraFields[kind]?.contains(name) == true
            else {
                throw .badRequest("field label not supported: \(name)")
            }
            requirements.append(
                Requirement(path: name.split(separator: ".").map(String.init), value: String(value), negated: negated))
        }
    }

    /// Whether the object satisfies every requirement (missing fields compare as `""`).
    func matches(_ object: JSONValue) -> Bool {
        for r in requirements {
            var v: JSONValue? = object
            for step in r.path { v = v?[step] }
            let actual: String
            switch v {
            case .string(let s)?: actual = s
            case .bool(let b)?: actual = b ? "true" : "false"
            case .int(let i)?: actual = String(i)
            default: actual = ""
            }
            if (actual == r.value) == r.negated { return false }
        }
        return true
    }
}
