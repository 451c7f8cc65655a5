import ArgumentParser

/// `roperator`: tools for operator authors.
@main
struct RoperatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roperator",
        abstract: "Tools for writing Kubernetes operators with Roperator.",
        subcommands: [InitCommand.self])
}
