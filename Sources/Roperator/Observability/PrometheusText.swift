/// Renders operators' totals in the Prometheus text exposition format for `/metrics`.
enum PrometheusText {
    /// - Parameter operators: `leader` is `nil` for an operator without leader election (no sample).
    static func render(_ operators: [(name: String, ready: Bool, leader: Bool?, statistics: OperatorStatistics)]) -> String {
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for sample in samples { lines.append("\(name){\(sample.labels)} \(sample.value)") }
        }
        func label(_ value: String) -> String {
            String(value.flatMap { character -> [Character] in
                character == "\\" || character == "\"" ? ["\\", character] : [character]
            })
        }
        family(MetricNames.syncs, "counter", "Reconciles of one parent, by result.", operators.flatMap { op in
            [("operator=\"\(label(op.name))\",result=\"success\"", op.statistics.successfulSyncs),
             ("operator=\"\(label(op.name))\",result=\"error\"", op.statistics.failedSyncs)]
        })
        family(MetricNames.apiWrites, "counter", "Writes to the API server, Events excluded.", operators.map { op in
            ("operator=\"\(label(op.name))\"", op.statistics.apiWrites)
        })
        family(MetricNames.conflicts, "counter", "Conflicts resolved by re-reading.", operators.map { op in
            ("operator=\"\(label(op.name))\"", op.statistics.conflicts)
        })
        family("roperator_ready", "gauge", "1 once every cache of the operator synced.", operators.map { op in
            ("operator=\"\(label(op.name))\"", op.ready ? 1 : 0)
        })
        let electing = operators.filter { $0.leader != nil }
        if !electing.isEmpty {
            family(MetricNames.leader, "gauge", "1 while this replica holds the operator's lease.", electing.map { op in
                ("operator=\"\(label(op.name))\"", op.leader == true ? 1 : 0)
            })
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
