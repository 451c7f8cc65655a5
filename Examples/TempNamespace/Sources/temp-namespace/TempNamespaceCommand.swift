import ExampleRunner
import TempNamespaceExample

// `swift run temp-namespace --embedded`: see Examples/TempNamespace/README.md.
@main
enum TempNamespaceCommand {
    static func main() async {
        await ExampleCommand.main(
            Example(
                name: "temp-namespace",
                operators: [(TempNamespace.config(), TempNamespaceHandler())],
                crdFile: TempNamespace.crdFile,
                sampleFile: TempNamespace.sampleFile))
    }
}
