import RoperatorClient
import RoperatorAPIServer
import Testing

/// Keys a JSON body repeats inside one object, under each `fieldValidation`: `Strict` refuses the
/// write with one 400 naming them before the unknown fields, `Warn` (the default) keeps the last
/// value and sends a `Warning` header for each, `Ignore` keeps the last value silently. The bodies
/// are raw text because no client writes a key twice.
@Suite("fieldValidation: duplicate fields")
struct DuplicateFieldValidationTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"

    /// `metadata.name`, a label and a data key each written twice, and a field ConfigMaps do not have.
    static let repeatedConfigMap = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first","name":"dup","labels":{"app":"x","app":"y"}},\
        "data":{"k":"1","k":"2"},"colour":"red"}
        """

    static func header(_ text: String) -> String { FieldWarnings.headerValue(text) }

    @Test func strictCreateRefusesWithDuplicatesBeforeUnknownFields() async throws {
        try await withTestServer { _, client in
            let refused = try await client.request(
                .POST, Self.configMaps + "?fieldValidation=Strict", body: Self.repeatedConfigMap, contentType: "application/json")
            #expect(refused.status == 400)
            #expect(try refused.json["reason"] == "BadRequest")
            let message = try #require(try refused.json["message"]?.stringValue)
            #expect(
                message.hasSuffix(
                    #"strict decoding error: duplicate field "metadata.name", duplicate field "metadata.labels.app", "#
                        + #"duplicate field "data.k", unknown field "colour""#),
                "\(message)")
            #expect(try await client.request(.GET, Self.configMaps + "/dup").status == 404)
        }
    }

    @Test(arguments: ["?fieldValidation=Warn", ""])
    func warnCreateKeepsTheLastValueAndWarnsPerDuplicate(query: String) async throws {
        try await withTestServer { _, client in
            let created = try await client.request(
                .POST, Self.configMaps + query, body: Self.repeatedConfigMap, contentType: "application/json")
            #expect(created.status == 201, "\(created.text)")
            #expect(
                created.headers["warning"] == [
                    Self.header(#"duplicate field "metadata.name""#),
                    Self.header(#"duplicate field "metadata.labels.app""#),
                    Self.header(#"duplicate field "data.k""#),
                    Self.header(#"unknown field "colour""#),
                ])
            let stored = try await client.request(.GET, Self.configMaps + "/dup").json
            #expect(stored[path: "metadata", "labels"] == ["app": "y"])
            #expect(stored["data"] == ["k": "2"])
        }
    }

    @Test func ignoreCreateKeepsTheLastValueSilently() async throws {
        try await withTestServer { _, client in
            let created = try await client.request(
                .POST, Self.configMaps + "?fieldValidation=Ignore", body: Self.repeatedConfigMap,
                contentType: "application/json")
            #expect(created.status == 201)
            #expect(created.headers["warning"].isEmpty)
            #expect(try created.json[path: "metadata", "name"] == "dup")
            #expect(try created.json["data"] == ["k": "2"])
        }
    }

    @Test func updateReportsRepeatedSpecFields() async throws {
        try await withTestServer { _, client in
            var web = deployment("web")
            web[path: "spec", "replicas"] = 1
            #expect(try await client.request(.POST, Self.deployments, json: web).status == 201)
            let text = web.serialized()
            #expect(text.contains(#""replicas":1"#))
            let body = text.replacingOccurrences(of: #""replicas":1"#, with: #""replicas":1,"replicas":3"#)

            let refused = try await client.request(
                .PUT, Self.deployments + "/web?fieldValidation=Strict", body: body, contentType: "application/json")
            #expect(refused.status == 400)
            let message = try #require(try refused.json["message"]?.stringValue)
            #expect(message.hasSuffix(#"strict decoding error: duplicate field "spec.replicas""#), "\(message)")
            #expect(try await client.request(.GET, Self.deployments + "/web").json[path: "spec", "replicas"] == 1)

            let updated = try await client.request(.PUT, Self.deployments + "/web", body: body, contentType: "application/json")
            #expect(updated.status == 200, "\(updated.text)")
            #expect(updated.headers["warning"] == [Self.header(#"duplicate field "spec.replicas""#)])
            #expect(try updated.json[path: "spec", "replicas"] == 3)
        }
    }

    @Test func patchesAreCheckedForRepeatedKeys() async throws {
        try await withTestServer { _, client in
            let cm = configMap("patched", data: ["k": "0"], labels: ["app": "a"])
            #expect(try await client.request(.POST, Self.configMaps, json: cm).status == 201)
            let path = Self.configMaps + "/patched"
            let merge = #"{"data":{"k":"1","k":"2"}}"#

            let refused = try await client.request(
                .PATCH, path + "?fieldValidation=Strict", body: merge, contentType: "application/merge-patch+json")
            #expect(refused.status == 400)
            let message = try #require(try refused.json["message"]?.stringValue)
            #expect(message.hasSuffix(#"strict decoding error: duplicate field "data.k""#), "\(message)")

            let merged = try await client.request(.PATCH, path, body: merge, contentType: "application/merge-patch+json")
            #expect(merged.status == 200)
            #expect(merged.headers["warning"] == [Self.header(#"duplicate field "data.k""#)])
            #expect(try merged.json[path: "data", "k"] == "2")

            let strategic = try await client.request(
                .PATCH, path + "?fieldValidation=Warn", body: #"{"metadata":{"labels":{"app":"b","app":"c"}}}"#,
                contentType: "application/strategic-merge-patch+json")
            #expect(strategic.status == 200)
            #expect(strategic.headers["warning"] == [Self.header(#"duplicate field "metadata.labels.app""#)])
            #expect(try strategic.json[path: "metadata", "labels", "app"] == "c")

            // A JSON patch's repeated keys are named from its operations, as kube-apiserver does.
            let json = try await client.request(
                .PATCH, path, body: #"[{"op":"add","path":"/data/a","path":"/data/b","value":"v"}]"#,
                contentType: "application/json-patch+json")
            #expect(json.status == 200, "\(json.text)")
            #expect(json.headers["warning"] == [Self.header(#"json patch duplicate field "[0].path""#)])
            #expect(try json.json["data"] == ["k": "2", "b": "v"])

            let ignored = try await client.request(
                .PATCH, path + "?fieldValidation=Ignore", body: #"{"data":{"k":"3","k":"4"}}"#,
                contentType: "application/merge-patch+json")
            #expect(ignored.status == 200)
            #expect(ignored.headers["warning"].isEmpty)
            #expect(try ignored.json[path: "data", "k"] == "4")
        }
    }

    /// Server-side apply reads its body as YAML, so kube-apiserver words a repeated key as its YAML
    /// decoder does, with the line of the repetition.
    @Test func serverSideApplyNamesTheLineOfEachRepeatedKey() async throws {
        try await withTestServer { _, client in
            let body = """
                {
                  "apiVersion": "v1",
                  "kind": "ConfigMap",
                  "metadata": {"name": "applied"},
                  "data": {
                    "k": "1",
                    "k": "2"
                  }
                }
                """
            let path = Self.configMaps + "/applied?fieldManager=tester"
            let refused = try await client.request(
                .PATCH, path + "&fieldValidation=Strict", body: body, contentType: "application/apply-patch+yaml")
            #expect(refused.status == 400)
            #expect(
                try refused.json["message"]
                    == "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key \"k\" already set in map"
            )
            #expect(try await client.request(.GET, Self.configMaps + "/applied").status == 404)

            let applied = try await client.request(.PATCH, path, body: body, contentType: "application/apply-patch+yaml")
            #expect(applied.status == 201, "\(applied.text)")
            #expect(applied.headers["warning"] == [Self.header(#"line 7: key "k" already set in map"#)])
            #expect(try applied.json[path: "data", "k"] == "2")

            let ignored = try await client.request(
                .PATCH, path + "&fieldValidation=Ignore", body: body, contentType: "application/apply-patch+yaml")
            #expect(ignored.status == 200)
            #expect(ignored.headers["warning"].isEmpty)
        }
    }

    @Test func customResourcesReportDuplicatesThenUnknownFields() async throws {
        try await CustomResourceSchemaTests().withGadgets { _, client in
            let path = "/apis/example.com/v1/namespaces/default/gadgets"
            let body = Array(
                #"{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g1"},"spec":{"name":"abc","replicas":1,"replicas":2,"colour":"red"}}"#
                    .utf8)
            let error = try await #require(throws: KubeAPIError.self) {
                _ = try await client.request(method: "POST", path: path, query: [("fieldValidation", "Strict")], body: body)
            }
            #expect(error.code == 400)
            #expect(
                error.message.hasSuffix(#"strict decoding error: duplicate field "spec.replicas", unknown field "spec.colour""#),
                "\(error.message)")

            let created = try await client.request(method: "POST", path: path, body: body)
            #expect(created.status == 201)
            #expect(
                FieldValidationWarningTests.warnings(created) == [
                    Self.header(#"duplicate field "spec.replicas""#), Self.header(#"unknown field "spec.colour""#),
                ])
            #expect(try await client.get(CustomResourceSchemaTests.gadgets, name: "g1").json[path: "spec", "replicas"] == 2)
        }
    }
}

/// What kubectl shows of repeated keys. `create --raw` sends the file's bytes as they are (other
/// commands decode the file first, which keeps only the last value).
@Suite("kubectl: duplicate fields")
struct KubectlDuplicateFieldTests {
    @Test func kubectlPrintsEachWarningAndTheStrictError() async throws {
        guard let minor = installedKubectls.keys.max() else {
            print("skipping: no kubectl installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try KubectlTests.Kubectl(minor: minor, server: server)
            let path = "/api/v1/namespaces/default/configmaps"
            let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"raw"},"data":{"k":"1","k":"2"}}"#
            let warned = try await kubectl("create", "--raw", path, "-f", "@input", input: body, expectSuccess: false)
            #expect(warned.contains(#"Warning: duplicate field "data.k""#), "kubectl printed: \(warned)")
            let created = try JSONValue(parsing: try await kubectl("get", "configmap", "raw", "-o", "json"))
            #expect(created["data"] == ["k": "2"])

            let strict = body.replacingOccurrences(of: #""raw""#, with: #""strict""#)
            let refused = try await kubectl(
                "create", "--raw", path + "?fieldValidation=Strict", "-f", "@input", input: strict, expectSuccess: false)
            #expect(refused.contains(#"strict decoding error: duplicate field "data.k""#), "kubectl printed: \(refused)")
        }
    }
}
