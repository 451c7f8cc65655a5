import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// The official Python `kubernetes` client against the embedded server.
@Suite("Python kubernetes client compatibility")
struct PythonClientTests {
    /// `$ROPERATOR_PYTHON`, else the package's `.venv`, when it has the `kubernetes` module.
    static let python: String? = {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["ROPERATOR_PYTHON"] { candidates.append(configured) }
        candidates.append(packageRoot.appendingPathComponent(".venv/bin/python").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let script = #"""
        import json, sys, threading
        from kubernetes import client, config, watch, dynamic
        from kubernetes.client.rest import ApiException

        config.load_kube_config(config_file=sys.argv[1])
        api = client.ApiClient()
        core = client.CoreV1Api(api)
        results = {}

        names = [ns.metadata.name for ns in core.list_namespace().items]
        results["namespaces"] = "default" in names

        cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py"), data={"a": "1"})
        created = core.create_namespaced_config_map("default", cm)
        results["create"] = created.metadata.resource_version is not None

        listed = core.list_namespaced_config_map("default")
        rv = listed.metadata.resource_version
        seen = []
        def watcher():
            w = watch.Watch()
            for event in w.stream(core.list_namespaced_config_map, "default", resource_version=rv, timeout_seconds=5):
                seen.append((event["type"], event["object"].metadata.name, event["object"].metadata.resource_version))
                if len(seen) == 2:
                    w.stop()
        t = threading.Thread(target=watcher)
        t.start()
        # The watch starts from the list's resourceVersion, so writes made before it connects are replayed.
        added = core.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py2")))
        patched = core.patch_namespaced_config_map("py2", "default", {"data": {"b": "2"}})
        t.join(10)
        results["watch"] = [s[0] for s in seen] == ["ADDED", "MODIFIED"] and seen[0][2] == added.metadata.resource_version
        results["patch"] = patched.data == {"b": "2"}

        stale = core.read_namespaced_config_map("py", "default")
        core.patch_namespaced_config_map("py", "default", {"data": {"a": "2"}})
        try:
            core.replace_namespaced_config_map("py", "default", stale)
            results["stale_put_409"] = False
        except ApiException as e:
            results["stale_put_409"] = e.status == 409 and json.loads(e.body)["reason"] == "Conflict"

        ext = client.ApiextensionsV1Api(api)
        crd = {
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "gadgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                     "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget"},
                     "versions": [{"name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
                                   "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]}}
        ext.create_custom_resource_definition(crd)
        custom = client.CustomObjectsApi(api)
        custom.create_namespaced_custom_object("example.com", "v1", "default", "gadgets",
            {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"}, "spec": {"n": 1}})
        status = custom.patch_namespaced_custom_object_status("example.com", "v1", "default", "gadgets", "g",
            {"status": {"phase": "Ready"}})
        results["status_patch"] = status["status"] == {"phase": "Ready"} and status["spec"] == {"n": 1}

        dyn = dynamic.DynamicClient(api)
        cms = dyn.resources.get(api_version="v1", kind="ConfigMap")
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ssa", "namespace": "default"}, "data": {"k": "v"}}
        applied = cms.server_side_apply(body=body, name="ssa", namespace="default", field_manager="python")
        results["server_side_apply"] = applied.data.k == "v" and any(m.manager == "python" for m in applied.metadata.managedFields)

        core.delete_namespaced_config_map("py", "default")
        try:
            core.read_namespaced_config_map("py", "default")
            results["delete"] = False
        except ApiException as e:
            results["delete"] = e.status == 404

        print(json.dumps(results))
        """#

    @Test func officialClientWorkflow() async throws {
        try await Self.runChecks(Self.script, module: "kubernetes", expecting: 8)
    }

    /// Runs `script` (`python script.py KUBECONFIG`) against a fresh embedded server and expects
    /// every check in the JSON object it prints last to be `true`.
    ///
    /// Skipped (with a line saying so) when no Python with `module` is installed; `.ci/run` installs
    /// them all.
    static func runChecks(_ script: String, module: String, expecting checks: Int) async throws {
        guard let python = Self.python else {
            print("skipping: no Python for the \(module) checks (set ROPERATOR_PYTHON or create .venv)")
            return
        }
        try await withEmbeddedAPIServer { server in
            let directory = try makeTemporaryDirectory("python")
            let kubeconfig = directory.appendingPathComponent("kubeconfig").path
            try server.writeKubeconfig(to: kubeconfig)
            let scriptPath = directory.appendingPathComponent("workflow.py")
            try script.write(to: scriptPath, atomically: true, encoding: .utf8)
            let result = try await run(python, [scriptPath.path, kubeconfig], directory: directory, timeout: .seconds(120))
            if result.status != 0 && result.stderr.contains("No module named '\(module)'") {
                print("skipping: \(python) has no \(module) module")
                return
            }
            #expect(result.status == 0, "python failed: \(result.stderr)")
            let outcome = try JSONValue(parsing: result.stdout.split(separator: "\n").last.map(String.init) ?? "")
            for (check, passed) in outcome.objectValue ?? [:] {
                #expect(passed == true, "\(module) check \(check) failed; stderr: \(result.stderr)")
            }
            #expect(outcome.objectValue?.count == checks, "\(module) printed \(result.stdout)")
        }
    }
}
