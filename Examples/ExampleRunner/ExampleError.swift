/// A failure of an example executable, with the sentence to print.
struct ExampleError: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
