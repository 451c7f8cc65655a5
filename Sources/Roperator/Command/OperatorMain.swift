/// The `main` of an operator executable, reporting failures the way a command-line tool does.
///
/// Swift's own top level turns an error thrown from `main` into "Fatal error: Error raised at top
/// level" and a crash backtrace. A type adopting `OperatorMain` instead prints `error: <message>`
/// to standard error and exits with status 1, as swift-argument-parser commands do:
///
/// ```swift
/// @main
/// struct EchoOperator: OperatorMain {
///     static func run() async throws {
///         let config = OperatorConfig(name: "echo-operator", parent: echoType).withChild(.configMap, .replace)
///         try await runOperator(config, EchoHandler())
///     }
/// }
/// ```
///
/// A kubeconfig whose `certificate-authority-data` is not PEM then ends the process with
///
/// ```
/// error: /home/me/.kube/config: context "dev": cluster "dev": field "certificate-authority-data" does not hold PEM data
/// ```
///
/// For a `main` of your own, ``runOperatorMain(_:)`` does the same around any closure.
public protocol OperatorMain {
    /// The operator's work; an error it throws ends the process with status 1.
    static func run() async throws
}

extension OperatorMain {
    /// Runs ``run()``; on an error prints `error: <message>` to standard error and exits with status 1.
    public static func main() async {
        await runOperatorMain(run)
    }
}

/// Runs `body`; on an error prints `error: <message>` to standard error and exits the process with
/// status 1. Returns normally when `body` does.
///
/// ```swift
/// @main
/// enum Main {
///     static func main() async {
///         await runOperatorMain {
///             try await runOperator(config, EchoHandler())
///         }
///     }
/// }
/// ```
///
/// The message is ``CommandLineFailure/message(for:)``: the error's own description, never Swift's
/// debug dump of its fields.
public func runOperatorMain(_ body: () async throws -> Void) async {
    do {
        try await body()
    } catch {
        CommandLineFailure.exit(with: error)
    }
}
