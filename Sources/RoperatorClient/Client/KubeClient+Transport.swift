import Logging
import Metrics
import NIOCore
import NIOHTTP1

extension KubeClient {
    /// Sends any request to the API server: the escape hatch for calls the typed verbs do not cover.
    ///
    /// Credentials, impersonation, retries and the rate limit apply as for every other call.
    ///
    /// ```swift
    /// let version = try await client.request(method: "GET", path: "/version").json()
    /// ```
    ///
    /// - Parameters:
    ///   - method: HTTP method, e.g. `GET`.
    ///   - path: Path below the server URL, starting with `/`.
    ///   - query: Query parameters; encoded by the client.
    ///   - body: Request body bytes.
    ///   - contentType: `Content-Type` of `body`.
    ///   - headers: Extra headers.
    /// - Returns: The 2xx response with its whole body.
    /// - Throws: ``KubeAPIError`` for a non-2xx answer, ``KubeClientError`` when no answer arrived.
    public func request(
        method: String,
        path: String,
        query: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        contentType: String? = "application/json",
        headers: [(name: String, value: String)] = []
    ) async throws -> KubeResponse {
        try await send(
            KubeRequest(
                method: method.uppercased(), path: path, query: query, body: body,
                contentType: body == nil ? nil : contentType, headers: headers))
    }

    /// Sends a request and returns the whole response, after retries.
    func send(_ request: KubeRequest) async throws -> KubeResponse {
        switch try await perform(request, streaming: false) {
        case .complete(let response): return response
        case .streaming: preconditionFailure("a non-streaming request returned a stream")
        }
    }

    /// Sends a request whose answer must be a JSON document.
    func sendJSON(_ request: KubeRequest) async throws -> JSONValue {
        try await send(request).json()
    }

    enum Outcome: Sendable {
        case complete(KubeResponse)
        /// A 2xx response whose body has not been read (watches).
        case streaming(HTTPStreamedResponse)
    }

    /// What one attempt brought back.
    enum Exchange: Sendable {
        /// Status, headers and the whole body.
        case complete((status: Int, headers: HTTPHeaders, body: [UInt8]))
        /// The head of a 2xx response whose body streams (watches).
        case stream(HTTPStreamedResponse)

        var status: Int {
            switch self {
            case .complete(let answer): answer.status
            case .stream(let response): response.status
            }
        }
    }

    /// Sends one attempt: a streaming 2xx answer returns at its head, anything else with its body.
    ///
    /// Complete requests go through the client's connection pool (``HTTPConnectionPool``);
    /// streaming ones (watches) each get a connection of their own on the watch event loop.
    ///
    /// - Parameters:
    ///   - headers: The attempt's headers (``makeHeaders(_:authorization:)``, tracing
    ///     context included).
    ///   - request: What the attempt sends: method, target and body.
    ///   - target: `request.target`, worked out once per request.
    func exchange(_ headers: HTTPHeaders, request: KubeRequest, target: String, streaming: Bool) async throws -> Exchange {
        let timeout = options.requestTimeout
        let limit = options.maxResponseBodySize
        let method = HTTPMethod(rawValue: request.method)
        let uri = endpoint.pathPrefix.isEmpty ? target : endpoint.pathPrefix + target
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
        let body = request.body.map { ByteBuffer(bytes: $0) }
        do {
            if streaming {
                switch try await pool.stream(
                    head: head, body: body, limit: limit, deadline: .now() + timeout.timeAmount,
                    idleTimeout: options.idleReadTimeout?.timeAmount, on: watchEventLoopGroup.next())
                {
                case .streaming(let response): return .stream(response)
                case .complete(let response): return .complete((response.status, response.headers, response.body))
                }
            }
            let response = try await pool.execute(head: head, body: body, limit: limit, deadline: .now() + timeout.timeAmount)
            return .complete((response.status, response.headers, response.body))
        } catch let error as HTTPTransportError where error.kind == .shutDown {
            throw KubeClientError(.shutDown, "the client was shut down")
        }
    }

    /// The request loop: rate limit, credentials, one attempt, then retry or answer.
    func perform(_ request: KubeRequest, streaming: Bool) async throws -> Outcome {
        if !streaming, pool.isShutDown { throw KubeClientError(.shutDown, "the client was shut down") }
        let target = request.target
        let policy = options.retry
        var attempt = 1
        var refreshCredentials = false
        var refreshedOnce = false
        // The error the request fails with should a retry gate refuse the next attempt.
        var pendingFailure: (any Error)?
        while true {
            try Task.checkCancellation()
            if let rateLimiter { try await rateLimiter.acquire() }
            let authorization = try await configuration.credentials?.authorization(refresh: refreshCredentials)
            refreshCredentials = false
            // Asked last before a retry goes out: the rate limit and credentials may have taken time.
            if let failure = pendingFailure, let gate = Self.retryGate, !gate() { throw failure }
            pendingFailure = nil
            let requestHeaders = makeHeaders(request, authorization: authorization)
            let started = ContinuousClock.now
            let status: Int
            let headers: HTTPHeaders
            let body: [UInt8]
            do {
                let exchange = try await traced(request, requestHeaders, attempt: attempt, streaming: streaming) {
                    try await self.exchange($0, request: request, target: target, streaming: streaming)
                }
                switch exchange {
                case .stream(let response):
                    record(request, status: response.status, started: started, attempt: attempt)
                    return .streaming(response)
                case .complete(let answer):
                    (status, headers, body) = answer
                }
            } catch let error as KubeClientError where error.code == .shutDown {
                throw error
            } catch {
                if Task.isCancelled { throw CancellationError() }
                record(request, status: nil, started: started, attempt: attempt)
                let failure = KubeClientError(.transport, "\(request.method) \(request.path) failed", underlying: error)
                if request.isIdempotent, attempt < policy.maxAttempts {
                    let delay = policy.backoff(forRetry: attempt)
                    logger.debug(
                        "retrying after transport failure",
                        metadata: [
                            "method": "\(request.method)", "path": "\(request.path)", "error": "\(type(of: error))",
                            "delay": "\(delay)",
                        ])
                    try await Task.sleep(for: delay)
                    attempt += 1
                    pendingFailure = failure
                    continue
                }
                throw failure
            }
            record(request, status: status, started: started, attempt: attempt)

            if status == 401, configuration.credentials != nil, !refreshedOnce {
                // The cached token may have expired or rotated: fetch a fresh one and try once more.
                refreshedOnce = true
                refreshCredentials = true
                pendingFailure = KubeAPIError(httpStatus: status, body: body)
                continue
            }
            if Self.isRetryable(status: status, idempotent: request.isIdempotent), attempt < policy.maxAttempts {
                var delay = policy.backoff(forRetry: attempt)
                if let hint = headers.first(name: "Retry-After").flatMap({ Int($0.filter { !$0.isWhitespace }) }) {
                    delay = min(.seconds(max(hint, 0)), policy.maxBackoff)
                }
                logger.debug(
                    "retrying",
                    metadata: [
                        "method": "\(request.method)", "path": "\(request.path)", "status": "\(status)", "delay": "\(delay)",
                    ])
                try await Task.sleep(for: delay)
                attempt += 1
                pendingFailure = KubeAPIError(httpStatus: status, body: body)
                continue
            }
            guard (200..<300).contains(status) else {
                throw KubeAPIError(httpStatus: status, body: body)
            }
            return .complete(KubeResponse(status: status, headers: headers.map { ($0.name, $0.value) }, body: body))
        }
    }

    static func isRetryable(status: Int, idempotent: Bool) -> Bool {
        if status == 429 { return true }
        return idempotent && (500...599).contains(status) && status != 501
    }

    /// The headers of one attempt, in the order they go out, `Host` and `Content-Length` included.
    func makeHeaders(_ request: KubeRequest, authorization: String?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: hostHeader)
        headers.add(name: "User-Agent", value: options.userAgent)
        headers.add(name: "Accept", value: "application/json")
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        if let impersonation = configuration.impersonation {
            headers.add(name: "Impersonate-User", value: impersonation.user)
            if let uid = impersonation.uid { headers.add(name: "Impersonate-Uid", value: uid) }
            for group in impersonation.groups { headers.add(name: "Impersonate-Group", value: group) }
            for (key, values) in impersonation.extra.sorted(by: { $0.key < $1.key }) {
                for value in values { headers.add(name: "Impersonate-Extra-\(KubeRequest.encode(key))", value: value) }
            }
        }
        for header in request.headers {
            if header.name.utf8.count == 4, header.name.lowercased() == "host" {
                headers.replaceOrAdd(name: "Host", value: header.value)
            } else {
                headers.add(name: header.name, value: header.value)
            }
        }
        if request.body != nil, let contentType = request.contentType {
            headers.replaceOrAdd(name: "Content-Type", value: contentType)
        }
        if let body = request.body {
            headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        } else if ["POST", "PUT", "PATCH"].contains(request.method) {
            // A body-carrying method without a body still says so, or a server waits for one.
            headers.replaceOrAdd(name: "Content-Length", value: "0")
        }
        return headers
    }

    /// Counts the attempt per method and status code and times it; logs one debug line without headers.
    private func record(_ request: KubeRequest, status: Int?, started: ContinuousClock.Instant, attempt: Int) {
        let elapsed = ContinuousClock.now - started
        let code = status.map(String.init) ?? "error"
        let factory = options.metricsFactory ?? MetricsSystem.factory
        let host = metricsHost
        Counter(
            label: "rest_client_requests_total", dimensions: [("code", code), ("method", request.method), ("host", host)],
            factory: factory
        ).increment()
        Timer(
            label: "rest_client_request_duration_seconds", dimensions: [("verb", request.method), ("host", host)],
            factory: factory
        ).recordNanoseconds(elapsed.nanoseconds)
        logger.debug(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.path)", "code": "\(code)",
                "attempt": "\(attempt)", "duration": "\(elapsed)",
            ])
    }
}

extension Duration {
    var timeAmount: TimeAmount { .nanoseconds(nanoseconds) }
}
