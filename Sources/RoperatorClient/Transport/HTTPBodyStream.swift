import NIOCore
import NIOHTTP1

/// The body of a streamed response (a watch) as it arrives: each element holds the pieces of
/// body one read from the socket brought (a watch's chunks, often several events), so a busy
/// stream costs its consumer one hand-over per read, not per event. With backpressure: the
/// connection stops reading while the consumer has more than a few reads waiting.
///
/// Iterate it once. Dropping the iterator, or cancelling the task that waits on it, closes the
/// connection.
struct HTTPBodyStream: AsyncSequence, Sendable {
    typealias Element = [ByteBuffer]

    /// Reads waiting before the connection stops reading, and the count at which it reads again.
    /// An event loop reads a busy socket up to four times a turn before its consumer (often on
    /// the same thread) runs, so fewer than 16 would pause and resume reading (two `epoll_ctl`
    /// calls) every turn; a consumer that truly lags holds at most 16 reads (1 MB) per watch.
    static let backpressure = NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark(lowWatermark: 4, highWatermark: 16)

    typealias Producer = NIOThrowingAsyncSequenceProducer<
        [ByteBuffer], any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, Delegate
    >

    let pieces: Producer

    func makeAsyncIterator() -> Producer.AsyncIterator {
        pieces.makeAsyncIterator()
    }

    /// Connects the consumer's demand to the connection: more demand resumes reading, the end of
    /// the consumer's interest closes the connection.
    struct Delegate: NIOAsyncSequenceProducerDelegate {
        let channel: any Channel
        let handler: NIOLoopBound<HTTPExchangeHandler>

        func produceMore() {
            let handler = handler
            channel.eventLoop.execute { handler.value.resumeReading() }
        }

        func didTerminate() {
            channel.close(promise: nil)
        }
    }
}

/// A response whose body streams: its status and headers, and the body as it arrives.
struct HTTPStreamedResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: HTTPBodyStream
}
