/// Answers requests; the listener hands it every request it reads, on the connection's event loop.
protocol APIRequestHandler: Sendable {
    /// The answer, or the work that produces it when answering involves waiting.
    ///
    /// Called on a NIO event loop: it must not block, and answers that can be computed at once are
    /// returned as ``APIReply/now(_:)`` so that most requests never leave the event loop.
    func respond(_ request: APIRequest) -> APIReply
}

/// How a request is answered.
enum APIReply: Sendable {
    /// The answer is ready.
    case now(APIResponse)
    /// The answer needs waiting (injected latency); the listener runs this in a task.
    case later(@Sendable () async -> APIResponse)
}
