import Foundation

/// How much longer waits for a condition may take than written: the `ROPERATOR_TIMEOUT_SCALE`
/// environment variable (a positive number, default 1), for slow machines and sanitizer builds.
/// `Scripts/tsan.sh` sets it, since ThreadSanitizer slows a process several times over. The
/// TestKit's waits and the package's test helpers apply it; nothing in the runtime does.
package enum TimeoutScale {
    /// The factor from the environment, 1 when unset or not a positive number.
    package static let factor: Double = {
        guard let text = ProcessInfo.processInfo.environment["ROPERATOR_TIMEOUT_SCALE"],
            let value = Double(text), value > 0
        else { return 1 }
        return value
    }()

    /// `timeout` stretched by ``factor``.
    package static func scaled(_ timeout: Duration) -> Duration {
        factor == 1 ? timeout : timeout * factor
    }
}
