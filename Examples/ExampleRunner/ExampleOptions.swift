/// The command line of an example executable.
struct ExampleOptions: Sendable, Equatable {
    /// Run against an in-process embedded API server instead of the kubeconfig's cluster.
    var embedded = false
    /// With `embedded`: exit (status 0) once the samples' children exist and their status is written.
    var exitAfterReady = false
    /// Where to write the embedded server's kubeconfig; a file in the temporary directory by default.
    var kubeconfigPath: String?
    /// Log the operators' info lines (stderr).
    var verbose = false
    /// Print usage and exit.
    var help = false

    /// Parses `arguments` (without the executable's name).
    ///
    /// - Throws: ``ExampleError`` naming an unknown or incomplete option.
    init(parsing arguments: [String]) throws(ExampleError) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--embedded": embedded = true
            case "--exit-after-ready", "--once": exitAfterReady = true
            case "--verbose", "-v": verbose = true
            case "--help", "-h": help = true
            case "--kubeconfig":
                guard let path = rest.popFirst() else { throw ExampleError("--kubeconfig needs a path") }
                kubeconfigPath = path
            default:
                throw ExampleError("unknown option \(argument)")
            }
        }
        if exitAfterReady && !embedded { throw ExampleError("--exit-after-ready needs --embedded") }
        if kubeconfigPath != nil && !embedded { throw ExampleError("--kubeconfig needs --embedded") }
    }

    /// The usage text for an example called `name`.
    static func usage(_ name: String) -> String {
        """
        usage: \(name) [--embedded [--exit-after-ready] [--kubeconfig PATH]] [--verbose]

        Without options: runs the operator against the cluster of the current kubeconfig (or the
        in-cluster service account) until SIGINT or SIGTERM. Register the CRD first
        (kubectl apply -f crd.yaml), then create a parent (kubectl apply -f sample.yaml).

          --embedded          start an in-process Kubernetes API server, register the CRD, create
                              the sample parents and print what the operator does
          --exit-after-ready  with --embedded: exit 0 once the samples' children and status exist
          --kubeconfig PATH   with --embedded: where to write the server's kubeconfig
          --verbose           log the operators' info lines to stderr
        """
    }
}
