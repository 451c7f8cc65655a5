extension KubeClient {
    /// Asked before every retry of a request sent in its scope (see ``withRetryGate(_:operation:)``);
    /// `nil` outside any scope, where retries follow ``Options/retry`` alone.
    @TaskLocal static var retryGate: (@Sendable () -> Bool)?

    /// Runs `operation` so that every request it sends is retried only while `mayRetry` says so.
    ///
    /// The gate is asked after a failed attempt's backoff, right before the next attempt would be
    /// sent; when it answers `false` the request fails with the last attempt's error instead. A
    /// leader's lease renewal uses it to stop the client's own retries at the renew deadline: a
    /// renewal sent after that moment could keep a lease alive that its holder no longer acts on.
    ///
    /// - Parameters:
    ///   - mayRetry: Whether one more attempt may be sent now; called from the requesting task.
    ///   - operation: The work whose requests the gate applies to.
    package static func withRetryGate<Result>(
        _ mayRetry: @escaping @Sendable () -> Bool, operation: () async throws -> Result
    ) async rethrows -> Result {
        try await $retryGate.withValue(mayRetry, operation: operation)
    }
}
