public import RoperatorClient

extension OperatorConfig {
    /// A configuration whose parent is a typed resource.
    ///
    /// ```swift
    /// let config = OperatorConfig(name: "echo", parent: EchoServer.self).withChild(Pod.self)
    /// ```
    public init<Parent: K8sResource>(name: String, parent: Parent.Type) {
        self.init(name: name, parent: Parent.type)
    }

    /// A configuration whose parent is a custom resource described in Swift; its definition is
    /// recorded in ``CustomResourceRegistry``, so the TestKit installs it.
    public init<Parent: CustomResource>(name: String, parent: Parent.Type) {
        CustomResourceRegistry.register(Parent.self)
        self.init(name: name, parent: Parent.type)
    }

    /// Adds a typed child kind, e.g. `withChild(Deployment.self, .replace)`; as ``withChild(_:_:)`` with its ``K8sType``.
    public func withChild<Child: K8sResource>(_ type: Child.Type, _ config: ChildConfig = .replace) -> OperatorConfig {
        withChild(Child.type, config)
    }

    /// Adds a custom child kind described in Swift, recording its definition in ``CustomResourceRegistry``.
    public func withChild<Child: CustomResource>(_ type: Child.Type, _ config: ChildConfig = .replace) -> OperatorConfig {
        CustomResourceRegistry.register(Child.self)
        return withChild(Child.type, config)
    }
}
