extension PrometheusText {
    /// The `/metrics` text of `operators` as they are now.
    static func render(_ operators: [Operator]) -> String {
        render(operators.map { op in
            (op.config.name, op.isReady, op.elector == nil ? nil : op.isLeader, op.statistics)
        })
    }
}
