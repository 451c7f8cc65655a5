/// Where an ``Operator`` or ``OperatorGroup`` is in its life. `run()` moves
/// initial/stopped → running → (graceful shutdown) stopping → stopped; a stopped one may run again.
public enum LifecyclePhase: Sendable, Hashable {
    /// Made, never run.
    case initial
    /// `run()` is running.
    case running
    /// A graceful shutdown was requested: no new sync starts, running ones finish.
    case stopping
    /// `run()` returned; it may be called again.
    case stopped

    /// Whether a run is in progress (running or stopping).
    public var isActive: Bool { self == .running || self == .stopping }
}
