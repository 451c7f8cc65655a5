import EchoServerExample
import Foundation
import Roperator
import RoperatorClient
import Testing

/// The typed children the examples emit, checked by PyPI `kubernetes-validate` against the
/// Kubernetes 1.33 schemas in strict mode (unknown fields are errors).
@Suite("Typed example children against kubernetes-validate")
struct TypedChildrenValidationTests {
    static let script = #"""
        import json, sys
        import kubernetes_validate
        results = {}
        for path in sys.argv[1:]:
            document = json.load(open(path))
            try:
                kubernetes_validate.validate(document, "1.33", strict=True)
                results[document["kind"]] = "ok"
            except Exception as error:
                results[document["kind"]] = "invalid: %s" % (getattr(error, "message", repr(error)),)
        print(json.dumps(results))
        """#

    @Test func echoServerChildrenAreValid() async throws {
        guard let python = PythonClientTests.python else {
            print("skipping: no Python with kubernetes-validate (set ROPERATOR_PYTHON or create .venv)")
            return
        }
        let parent = try EchoServer(
            metadata: .init(name: "hello", namespace: "default", uid: "u-1"),
            spec: EchoServerSpec(serviceName: "hello-echo", message: "hi")
        ).kubeObject()
        let response = try await EchoServerHandler().sync(SyncRequest(parent: parent))
        #expect(response.children.count == 2)
        let directory = try makeTemporaryDirectory("typed-children")
        var paths: [String] = []
        for child in response.children {
            let path = directory.appendingPathComponent("\(child.kind ?? "x").json").path
            try Data(child.json.serialized().utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let scriptPath = directory.appendingPathComponent("validate.py")
        try Self.script.write(to: scriptPath, atomically: true, encoding: .utf8)
        let result = try await run(python, [scriptPath.path] + paths, directory: directory, timeout: .seconds(120))
        if result.stderr.contains("No module named 'kubernetes_validate'") {
            print("skipping: \(python) has no kubernetes_validate module")
            return
        }
        let results = try JSONValue(parsing: result.stdout)
        #expect(results == ["Pod": "ok", "Service": "ok"], "\(result.stderr)")
    }
}
