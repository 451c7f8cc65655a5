import BenchmarkSupport

/// What one phase (operator or bare client) measured.
struct PhaseResult: Sendable {
    /// From the first parent create until everything converged.
    var seconds: Double
    /// From the first parent create until the user's last (operator phase only).
    var createdSeconds: Double?
    /// Requests the server answered in that time, per verb.
    var requests: RequestCounts
    /// CPU seconds the server process spent in that time.
    var serverCPU: Double
    /// CPU seconds this process spent in that time (the operator and the user's client, or the
    /// bare client).
    var clientCPU: Double
    /// Writes the server saw while the operator sat idle after convergence (operator phase only).
    var idleWrites: Int?
    /// Writes the operator itself counted (operator phase only).
    var operatorWrites: Int?
    /// Conflicts the operator resolved (operator phase only).
    var operatorConflicts: Int?
    /// Failed syncs (operator phase only).
    var failedSyncs: Int?

    /// CPU seconds of both processes, the server's included.
    var totalCPU: Double { serverCPU + clientCPU }

    /// Cores the two processes kept busy on average (`totalCPU / seconds`): under 2 on a 2-core
    /// machine means something else (another tenant) had part of it.
    var coresBusy: Double { seconds > 0 ? totalCPU / seconds : 0 }
}
