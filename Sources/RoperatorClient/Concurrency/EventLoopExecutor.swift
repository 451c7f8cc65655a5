public import NIOCore

/// A task executor that runs its tasks on one NIO event loop.
///
/// Tasks that prefer it (`withTaskExecutorPreference(_:operation:)`, `Task(executorPreference:)`)
/// run on the event loop's thread, and so do the default actors they call. When the same loop
/// carries the client's connections (``KubeClient/Options/eventLoopGroup``), a request is written
/// and its answer resumes the waiting task on that one thread, with no hand-over between threads.
public final class EventLoopExecutor: TaskExecutor {
    /// The loop jobs run on.
    public let eventLoop: any EventLoop

    /// An executor running its jobs on `eventLoop`.
    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
