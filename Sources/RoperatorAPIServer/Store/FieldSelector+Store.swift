import RoperatorClient

extension FieldSelector {
    /// Fields beyond `metadata.name`/`metadata.namespace` that the real server indexes, by kind.
    static let extraFields: [String: Set<String>] = [
        "Pod": [
            "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "status.phase", "status.podIP", "status.nominatedNodeName",
        ],
        "Secret": ["type"],
        "Event": [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
            "reason", "reportingComponent", "source", "type", "regarding.kind", "regarding.name",
            "regarding.namespace", "regarding.uid",
        ],
        "Namespace": ["status.phase"],
        "Node": ["spec.unschedulable"],
        "Job": ["status.successful"],
        "ReplicaSet": ["status.replicas"],
    ]

    /// A `fieldSelector` query parameter for a list or watch of `kind`: every type supports
    /// `metadata.name` and `metadata.namespace`, a few types more fields, as on a real server.
    ///
    /// - Throws: 400 BadRequest for malformed selectors and unsupported fields.
    init(query text: String, kind: String) throws(APIError) {
        do {
            try self.init(parsing: text)
        } catch {
            throw .badRequest(error.description)
        }
        for r in requirements {
            let supported =
                r.field == "metadata.name" || r.field == "metadata.namespace"
                || Self.extraFields[kind]?.contains(r.field) == true
            if !supported { throw .badRequest("field label not supported: \(r.field)") }
        }
    }
}
