import EchoServerExample
import ExampleRunner

// `swift run echo-server --embedded`: see Examples/EchoServer/README.md.
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
