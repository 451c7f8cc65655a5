import ArgumentParser
import Foundation
import RoperatorScaffold

/// `roperator init <name> --group <g> --version <v> --kind <K>`: writes a new operator package.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a new operator package: types, CRD, handler, test, RBAC, Deployment, Dockerfile.",
        discussion: """
            Example: roperator init memcached-operator --group cache.example.com --version v1alpha1 --kind Memcached
            Then, in the new folder: swift run memcached-operator --embedded, and swift test.
            """)

    @Argument(help: "The package and executable name, a DNS label such as memcached-operator.")
    var name: String

    @Option(help: "The custom resource's API group, e.g. cache.example.com.")
    var group: String

    @Option(help: "The custom resource's version, e.g. v1alpha1.")
    var version: String

    @Option(help: "The custom resource's kind, e.g. Memcached.")
    var kind: String

    @Option(help: "The resource's plural (default: the kind in lower case plus s or es).")
    var plural: String?

    @Option(help: "The folder to write (default: ./<name>); it must not exist or be empty.")
    var output: String?

    @Option(help: "Depend on the Roperator checkout at this path (default: the checkout this tool was built from).")
    var roperatorPath: String?

    @Option(help: "Depend on Roperator at this git URL (branch main) instead of a local checkout.")
    var roperatorURL: String?

    @Option(help: "The port of /healthz, /readyz and /metrics.")
    var metricsPort: Int = 8080

    func run() throws {
        let directory = URL(fileURLWithPath: output ?? name)
        let dependency: OperatorScaffold.Dependency
        if let roperatorURL {
            guard roperatorPath == nil else { throw ValidationError("give --roperator-path or --roperator-url, not both") }
            dependency = .url(roperatorURL)
        } else {
            // Relative paths are read by SwiftPM from the new package's folder, so make them absolute.
            let path = URL(fileURLWithPath: roperatorPath ?? OperatorScaffold.thisCheckout).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: path + "/Package.swift") else {
                throw ValidationError(
                    "no Roperator checkout at \(path) (no Package.swift); pass --roperator-path <checkout> or --roperator-url <git URL>")
            }
            dependency = .path(path)
        }
        let scaffold: OperatorScaffold
        do {
            scaffold = try OperatorScaffold(
                name: name, group: group, version: version, kind: kind, plural: plural, dependency: dependency,
                metricsPort: metricsPort)
        } catch {
            throw ValidationError("\(error)")
        }
        try scaffold.write(to: directory)
        let run = "swift run \(name) --embedded"
        print(
            """
            wrote \(scaffold.files().count) files to \(directory.path)
            next:
              cd \(directory.path)
              \(run)  # the operator against an in-process API server
              \("swift test".padding(toLength: run.count, withPad: " ", startingAt: 0))  # the handler's test
            """)
    }
}
