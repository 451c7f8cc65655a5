import Roperator

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
    /// Run with leader election on the Lease `<example name>-leader`, so replicas can stand by.
    var leaderElect = false
    /// Leader-election timing and identity overrides, in seconds (defaults 15 / 10 / 2).
    var leaseDuration: Double?
    var renewDeadline: Double?
    var retryPeriod: Double?
    var leaderIdentity: String?

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
            case "--leader-elect": leaderElect = true
            case "--leader-elect-lease-duration": leaseDuration = try Self.seconds(argument, rest.popFirst())
            case "--leader-elect-renew-deadline": renewDeadline = try Self.seconds(argument, rest.popFirst())
            case "--leader-elect-retry-period": retryPeriod = try Self.seconds(argument, rest.popFirst())
            case "--leader-elect-identity":
                guard let identity = rest.popFirst() else { throw ExampleError("--leader-elect-identity needs a value") }
                leaderIdentity = identity
            case "--kubeconfig":
                guard let path = rest.popFirst() else { throw ExampleError("--kubeconfig needs a path") }
                kubeconfigPath = path
            default:
                throw ExampleError("unknown option \(argument)")
            }
        }
        if exitAfterReady && !embedded { throw ExampleError("--exit-after-ready needs --embedded") }
        if kubeconfigPath != nil && !embedded { throw ExampleError("--kubeconfig needs --embedded") }
        if !leaderElect && (leaseDuration != nil || renewDeadline != nil || retryPeriod != nil || leaderIdentity != nil) {
            throw ExampleError("the --leader-elect-* options need --leader-elect")
        }
    }

    private static func seconds(_ option: String, _ value: String?) throws(ExampleError) -> Double {
        guard let value, let seconds = Double(value), seconds > 0 else {
            throw ExampleError("\(option) needs a positive number of seconds")
        }
        return seconds
    }

    /// `example` with leader election set on every operator when `--leader-elect` was given: all
    /// share the Lease `<name>-leader` in the client's namespace.
    func applyLeaderElection(to example: Example) -> Example {
        guard leaderElect else { return example }
        var settings = LeaderElectionConfig(leaseName: "\(example.name)-leader", identity: leaderIdentity)
        if let leaseDuration { settings.leaseDuration = .seconds(leaseDuration) }
        if let renewDeadline { settings.renewDeadline = .seconds(renewDeadline) }
        if let retryPeriod { settings.retryPeriod = .seconds(retryPeriod) }
        return example.with(operators: example.operators.map { ($0.config.leaderElection(settings), $0.handler) })
    }

    /// The usage text for an example called `name`.
    static func usage(_ name: String) -> String {
        """
        usage: \(name) [--embedded [--exit-after-ready] [--kubeconfig PATH]] [--leader-elect [...]] [--verbose]

        Without options: runs the operator against the cluster of the current kubeconfig (or the
        in-cluster service account) until SIGINT or SIGTERM. Register the CRD first
        (kubectl apply -f crd.yaml), then create a parent (kubectl apply -f sample.yaml).

          --embedded          start an in-process Kubernetes API server, register the CRD, create
                              the sample parents and print what the operator does
          --exit-after-ready  with --embedded: exit 0 once the samples' children and status exist
          --kubeconfig PATH   with --embedded: where to write the server's kubeconfig
          --leader-elect      only the replica holding the Lease <name>-leader reconciles; the
                              others keep warm caches and take over when it stops or dies
            --leader-elect-lease-duration S, --leader-elect-renew-deadline S,
            --leader-elect-retry-period S   timing in seconds (default 15, 10, 2)
            --leader-elect-identity ID      identity in the Lease (default hostname_random)
          --verbose           log the operators' info lines to stderr
        """
    }
}
