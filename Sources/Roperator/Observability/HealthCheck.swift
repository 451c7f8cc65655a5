/// A named check behind `/healthz` or `/readyz`: `nil` while it passes, else why it fails.
///
/// The health server lists the checks by name, as kube-apiserver does with `?verbose`:
///
/// ```
/// [+]ping ok
/// [-]informers failed: operator "echo": caches not synced
/// readyz check failed
/// ```
struct HealthCheck: Sendable {
    /// The check's name in answers and in `/readyz/<name>`, e.g. `informers`.
    let name: String
    /// `nil` when the check passes, else the reason it fails.
    let failure: @Sendable () -> String?

    init(_ name: String, failure: @escaping @Sendable () -> String?) {
        self.name = name
        self.failure = failure
    }

    /// Always passes: the process answers HTTP.
    static let ping = HealthCheck("ping") { nil }
}
