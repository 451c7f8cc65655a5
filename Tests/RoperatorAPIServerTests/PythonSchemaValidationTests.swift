import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// Response shapes checked against the offline Kubernetes JSON schemas of PyPI `kubernetes-validate`.
@Suite("Response shapes against kubernetes-validate")
struct PythonSchemaValidationTests {
    static let script = #"""
        import json, sys, urllib.request, urllib.error
        import kubernetes_validate

        base = sys.argv[1]
        def call(method, path, body=None, content_type="application/json"):
            data = json.dumps(body).encode() if body is not None else None
            request = urllib.request.Request(base + path, data=data, method=method)
            if data is not None:
                request.add_header("Content-Type", content_type)
            try:
                with urllib.request.urlopen(request) as response:
                    return json.loads(response.read())
            except urllib.error.HTTPError as error:
                return json.loads(error.read())

        deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}}}
        samples = {
            "Namespace": call("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shapes"}}),
            "ConfigMap": call("POST", "/api/v1/namespaces/default/configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"a": "b"}}, "data": {"k": "v"}}),
            "Secret": call("POST", "/api/v1/namespaces/default/secrets", {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"k": "v"}}),
            "Deployment": call("POST", "/apis/apps/v1/namespaces/default/deployments", deployment),
            "Lease": call("POST", "/apis/coordination.k8s.io/v1/namespaces/default/leases", {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "l"}, "spec": {"holderIdentity": "me", "leaseDurationSeconds": 15}}),
            "ConfigMapList": call("GET", "/api/v1/namespaces/default/configmaps"),
            "NamespaceList": call("GET", "/api/v1/namespaces"),
            "Status": call("GET", "/api/v1/namespaces/default/configmaps/missing"),
            "APIResourceList": call("GET", "/api/v1"),
            "APIGroupList": call("GET", "/apis"),
            "APIVersions": call("GET", "/api"),
        }
        # meta/v1 kinds are filed as "<kind>-meta-v1.json", which validate() does not look up by apiVersion.
        META = {"Status", "APIResourceList", "APIGroupList", "APIVersions"}
        def validate_meta(document):
            import jsonschema
            from referencing import Registry, Resource
            from kubernetes_validate import utils
            directory = "kubernetes-json-schema/v1.32.0-local-strict"
            schema = utils.schema_contents("%s/%s-meta-v1.json" % (directory, document["kind"].lower()), "1.32")
            definitions = utils.schema_contents(directory + "/_definitions.json", "1.32")
            registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
            jsonschema.validators.Draft202012Validator(schema, registry=registry).validate(document)
        results = {}
        for name, document in samples.items():
            try:
                if document.get("kind") in META:
                    validate_meta(document)
                else:
                    kubernetes_validate.validate(document, "1.32", strict=True)
                results[name] = "ok"
            except (kubernetes_validate.ValidationError, __import__("jsonschema").ValidationError) as error:
                results[name] = "invalid: %s at %s" % (error.message, list(error.path))
            except Exception as error:
                results[name] = "error: %r" % (error,)
        print(json.dumps(results))
        """#

    @Test func responsesMatchTheOfficialSchemas() async throws {
        guard let python = PythonClientTests.python else {
            print("skipping: no Python with kubernetes-validate (set ROPERATOR_PYTHON or create .venv)")
            return
        }
        try await withEmbeddedAPIServer { server in
            let directory = try makeTemporaryDirectory("shapes")
            let scriptPath = directory.appendingPathComponent("shapes.py")
            try Self.script.write(to: scriptPath, atomically: true, encoding: .utf8)
            let result = try await run(python, [scriptPath.path, server.url], directory: directory, timeout: .seconds(120))
            if result.stderr.contains("No module named 'kubernetes_validate'") {
                print("skipping: \(python) has no kubernetes_validate module")
                return
            }
            #expect(result.status == 0, "python failed: \(result.stderr)")
            let outcome = try JSONValue(parsing: result.stdout.split(separator: "\n").last.map(String.init) ?? "")
            #expect(outcome.objectValue?.count == 11)
            for (kind, verdict) in outcome.objectValue ?? [:] {
                #expect(verdict == "ok", "\(kind): \(verdict.stringValue ?? "?")")
            }
        }
    }
}
