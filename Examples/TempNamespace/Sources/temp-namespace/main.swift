import ExampleRunner
import TempNamespaceExample

// `swift run temp-namespace --embedded`: see Examples/TempNamespace/README.md.
await ExampleCommand.main(Example(
    name: "temp-namespace",
    operators: [(TempNamespace.config(), TempNamespaceHandler())],
    crdFile: TempNamespace.crdFile,
    sampleFile: TempNamespace.sampleFile))
