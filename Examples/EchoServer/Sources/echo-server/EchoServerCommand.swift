import EchoServerExample
import ExampleRunner

// `swift run echo-server --embedded`: see Examples/EchoServer/README.md.
//
// An explicit `@main` type on purpose. With top-level `await` in main.swift (Swift 6.3.1, Linux,
// debug build) the process crashed at startup in about 3 of 4 runs, even for `--help`: the main
// thread jumped to address 0 while returning from the first hop off the main actor into
// `ExampleCommand.main` (swift_task_switch), its return address zeroed once the task was picked up by
// another thread. With a `@main` type it did not crash in 100 runs.
@main
enum EchoServerCommand {
    static func main() async {
        await ExampleCommand.main(Example(
            name: "echo-server",
            operators: [(EchoServer.config(), EchoServerHandler())],
            crdFile: EchoServer.crdFile,
            sampleFile: EchoServer.sampleFile,
            // Ready once the status describes the Pod, not just its creation.
            isSettled: { status in status["podPhase"] != nil }))
    }
}
