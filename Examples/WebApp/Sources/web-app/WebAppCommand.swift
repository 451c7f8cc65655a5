import ExampleRunner
import Foundation
import WebAppExample

// `swift run web-app --embedded`: see Examples/WebApp/README.md.
// `swift run web-app --print-crd`: the CustomResourceDefinition generated from the Swift type.
@main
enum WebAppCommand {
    static func main() async {
        if CommandLine.arguments.dropFirst().first == "--print-crd" {
            do {
                print(try WebApp.customResourceDefinitionYAML(), terminator: "")
            } catch {
                FileHandle.standardError.write(Data("web-app: \(error)\n".utf8))
                exit(1)
            }
            return
        }
        await ExampleCommand.main(
            Example(
                name: "web-app",
                operators: [(WebApp.config(), WebAppHandler())],
                crdFile: WebApp.crdFile,
                sampleFile: WebApp.sampleFile,
                // The embedded server runs no Deployment controller: settled once the status is written.
                isSettled: { status in status["selector"] != nil }))
    }
}
