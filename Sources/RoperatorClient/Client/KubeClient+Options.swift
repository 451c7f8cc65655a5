public import CoreMetrics
public import NIOCore
public import Tracing

extension KubeClient {
    /// How a ``KubeClient`` behaves: timeouts, retries, rate limit, identity. Every field has a default.
    public struct Options: Sendable {
        /// Time allowed for one attempt of a non-watch request, from waiting for a connection to the
        /// last body byte. Default 30 s.
        public var requestTimeout: Duration
        /// Time allowed to open a connection (TCP and TLS). Default 10 s.
        public var connectTimeout: Duration
        /// Longest time a watch's stream may go without receiving a byte (other requests are bounded
        /// by ``requestTimeout``); it catches half-open connections that would otherwise stall a
        /// watch forever. A consumer that holds the stream back does not count. Keep it above the
        /// watches' `timeoutSeconds` (``Watcher/Configuration/watchTimeoutSeconds``, 300 s by default)
        /// unless bookmarks keep the stream busy. `nil` disables it. Default 10 minutes.
        public var idleReadTimeout: Duration?
        /// Retries of failed requests. Default: 5 attempts, 100 ms doubling to 10 s, full jitter.
        public var retry: RetryPolicy
        /// Client-side request rate limit; `nil` (the default) sends as fast as asked.
        public var rateLimit: RateLimit?
        /// `User-Agent` header. Default `roperator-swift`.
        public var userAgent: String
        /// Field manager for writes that name none (`fieldManager` query parameter). Default `nil`:
        /// the server derives one from the user agent.
        public var fieldManager: String?
        /// Items per page when the `list` calls paginate and no `pageSize` is given. Default 500.
        public var pageSize: Int
        /// Longest single event line accepted on a watch stream. Default 16 MiB.
        public var maxWatchLineLength: Int
        /// Largest non-watch response body accepted. Default 256 MiB.
        public var maxResponseBodySize: Int
        /// HTTP/1.1 connections the client keeps to the server at most for requests; requests beyond
        /// the limit wait for a free connection, in arrival order, within their ``requestTimeout``.
        /// Watches are not counted: each has a connection of its own for as long as it runs.
        /// Default 256.
        public var maxConnectionsPerHost: Int
        /// Receives `rest_client_requests_total` (per `code`, `method` and `host`) and
        /// `rest_client_request_duration_seconds` (per `verb` and `host`), client-go's names;
        /// `nil` (the default) uses the process-wide `MetricsSystem`. Pass swift-prometheus's
        /// `PrometheusMetricsFactory(registry: op.metricsRegistry)` to serve them on an operator's
        /// `/metrics`.
        public var metricsFactory: (any MetricsFactory)?
        /// Receives a client span per request attempt (see the Tracing section of
        /// `docs/observability.md`); `nil` (the default) uses the active tracer: the one scoped with
        /// `withTracer`, else the one bootstrapped with `InstrumentationSystem.bootstrap`, else
        /// none, in which case requests make no span at all.
        public var tracer: (any Tracer)?
        /// The event loops the client's connections run on, and its watches unless
        /// ``watchEventLoopGroup`` is set; `nil` (the default) gives the client one event loop
        /// thread of its own for requests and a second for watches, both stopped by
        /// ``KubeClient/shutdown()``. A task that prefers the loop of a one-loop group (see
        /// ``EventLoopExecutor``) writes each request and takes its answer on that one thread.
        public var eventLoopGroup: (any EventLoopGroup)?
        /// The event loops watches stream on; `nil` (the default) uses ``eventLoopGroup`` when
        /// that is set, else a thread of the client's own.
        public var watchEventLoopGroup: (any EventLoopGroup)?

        /// Options; every argument has a default.
        public init(
            requestTimeout: Duration = .seconds(30),
            connectTimeout: Duration = .seconds(10),
            idleReadTimeout: Duration? = .seconds(600),
            retry: RetryPolicy = RetryPolicy(),
            rateLimit: RateLimit? = nil,
            userAgent: String = "roperator-swift",
            fieldManager: String? = nil,
            pageSize: Int = 500,
            maxWatchLineLength: Int = 16 << 20,
            maxResponseBodySize: Int = 256 << 20,
            maxConnectionsPerHost: Int = 256,
            metricsFactory: (any MetricsFactory)? = nil,
            tracer: (any Tracer)? = nil,
            eventLoopGroup: (any EventLoopGroup)? = nil,
            watchEventLoopGroup: (any EventLoopGroup)? = nil
        ) {
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.idleReadTimeout = idleReadTimeout
            self.retry = retry
            self.rateLimit = rateLimit
            self.userAgent = userAgent
            self.fieldManager = fieldManager
            self.pageSize = pageSize
            self.maxWatchLineLength = maxWatchLineLength
            self.maxResponseBodySize = maxResponseBodySize
            self.maxConnectionsPerHost = max(1, maxConnectionsPerHost)
            self.metricsFactory = metricsFactory
            self.tracer = tracer
            self.eventLoopGroup = eventLoopGroup
            self.watchEventLoopGroup = watchEventLoopGroup
        }
    }

    /// When and how often failed requests are sent again.
    ///
    /// Retried: 429 for every verb (the server did not process the request); 5xx and connection
    /// failures only for GET, PUT, DELETE and HEAD, which are safe to repeat. `Retry-After` (seconds)
    /// replaces the computed backoff when present, capped at ``maxBackoff``.
    public struct RetryPolicy: Sendable, Hashable {
        /// Total attempts including the first; `1` disables retries. Default 5.
        public var maxAttempts: Int
        /// Backoff before the first retry. Default 100 ms.
        public var initialBackoff: Duration
        /// Upper bound of one backoff. Default 10 s.
        public var maxBackoff: Duration
        /// Fraction of each backoff that is randomized (0 = fixed, 1 = anywhere from 0 to the full value). Default 1.
        public var jitter: Double

        /// A policy; every argument has a default.
        public init(
            maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(10), jitter: Double = 1.0
        ) {
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.jitter = min(max(jitter, 0), 1)
        }

        /// No retries at all.
        public static let none = RetryPolicy(maxAttempts: 1)

        /// The wait before retry number `retry` (1-based), without a server hint: ``Backoff``
        /// doubling from ``initialBackoff`` up to ``maxBackoff``, shortened by up to ``jitter``.
        func backoff(forRetry retry: Int) -> Duration {
            Backoff(initial: initialBackoff, max: maxBackoff, multiplier: 2, jitter: jitter).delay(attempt: retry)
        }
    }

    /// A token bucket: `qps` requests per second on average, bursts of up to `burst`.
    public struct RateLimit: Sendable, Hashable {
        /// Average requests per second.
        public var qps: Double
        /// Requests allowed at once before the average applies.
        public var burst: Int

        /// A limit of `qps` per second with bursts of `burst`.
        public init(qps: Double, burst: Int) {
            self.qps = qps
            self.burst = max(1, burst)
        }
    }
}
