public import RoperatorClient

extension SyncResponse {
    /// Adds a desired child given as a typed resource (`Deployment`, `Service`, your own kinds).
    ///
    /// `apiVersion` and `kind` come from the type when the encoding lacks them, so a struct with
    /// synthesized `Codable` works as well as a generated model.
    ///
    /// ```swift
    /// try response.add(Deployment(metadata: ObjectMeta(name: "web"), spec: spec))
    /// ```
    ///
    /// - Throws: ``CodingFailure`` when the value does not encode to a JSON object.
    public mutating func add<Child: K8sResource>(_ child: Child) throws(CodingFailure) {
        do {
            children.append(try child.kubeObject())
        } catch {
            throw CodingFailure(operation: .encoding, what: "child \(Child.self)", underlying: error)
        }
    }
}
