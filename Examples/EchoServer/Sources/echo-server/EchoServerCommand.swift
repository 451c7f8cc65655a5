import EchoServerExample
import Foundation
import ExampleRunner

// `swift run echo-server --embedded`: see Examples/EchoServer/README.md.
// `swift run echo-server --print-crd`: the CustomResourceDefinition generated from the Swift type.
@main
enum EchoServerCommand {
    static func main() async {
        if CommandLine.arguments.dropFirst().first == "--print-crd" {
            do {
                print(try EchoServer.customResourceDefinitionYAML(), terminator: "")
            } catch {
                FileHandle.standardError.write(Data("echo-server: \(error)\n".utf8))
                exit(1)
            }
            return
        }
        await ExampleCommand.main(
            Example(
                name: "echo-server",
                operators: [(EchoServer.config(), EchoServerHandler())],
                crdFile: EchoServer.crdFile,
                sampleFile: EchoServer.sampleFile,
                // Ready once the status describes the Pod, not just its creation.
                isSettled: { status in status["podPhase"] != nil }))
    }
}
