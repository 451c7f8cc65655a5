public import RoperatorClient

extension OperatorConfig {
    /// A configuration whose parent is a typed resource (your custom resource struct).
    ///
    /// ```swift
    /// let config = OperatorConfig(name: "echo", parent: EchoServer.self).withChild(Pod.self)
    /// ```
    public init<Parent: K8sResource>(name: String, parent: Parent.Type) {
        self.init(name: name, parent: Parent.type)
    }

    /// Adds a typed child kind, e.g. `withChild(Deployment.self, .replace)`; see ``withChild(_:_:)-(K8sType,_)``.
    public func withChild<Child: K8sResource>(_ type: Child.Type, _ config: ChildConfig = .replace) -> OperatorConfig {
        withChild(Child.type, config)
    }
}
