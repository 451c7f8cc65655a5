import RoperatorClient

/// Objects and list calls counted across concurrent list tasks.
final class ListTally: Sendable {
    private let counts = Lock<(objects: Int, calls: Int)>((0, 0))

    func add(objects: Int, calls: Int) {
        counts.withLock {
            $0.objects += objects
            $0.calls += calls
        }
    }

    var objects: Int { counts.withLock { $0.objects } }
    var calls: Int { counts.withLock { $0.calls } }
}
