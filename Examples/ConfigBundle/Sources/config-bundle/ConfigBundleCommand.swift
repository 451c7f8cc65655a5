import ConfigBundleExample
import ExampleRunner

// `swift run config-bundle --embedded`: two operators in one process; see Examples/ConfigBundle/README.md.
@main
enum ConfigBundleCommand {
    static func main() async {
        await ExampleCommand.main(
            Example(
                name: "config-bundle",
                operators: ConfigOperators.operators,
                crdFile: ConfigOperators.crdFile,
                sampleFile: ConfigOperators.sampleFile))
    }
}
