import RoperatorClient
import RoperatorAPIServer
import Testing

/// `fieldValidation=Warn` (kube-apiserver's default): unknown fields are dropped and each is named
/// in a `Warning: 299 - "unknown field \"<path>\""` header.
@Suite("fieldValidation=Warn")
struct FieldValidationWarningTests {
    static func warnings(_ response: KubeResponse) -> [String] {
        response.headers.filter { $0.name.lowercased() == "warning" }.map(\.value)
    }

    @Test func customResourceWarnsPerUnknownFieldAndKeepsTheRest() async throws {
        try await CustomResourceSchemaTests().withGadgets { _, client in
            let path = "/apis/example.com/v1/namespaces/default/gadgets"
            let body = JSONValue.object([
                "apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "warned"],
                "spec": ["name": "abc", "colour": "red"],
            ]).serializedBytes()
            let created = try await client.request(method: "POST", path: path, query: [("fieldValidation", "Warn")], body: body)
            #expect(created.status == 201)
            #expect(Self.warnings(created) == [#"299 - "unknown field \"spec.colour\"""#])
            #expect(try await client.get(CustomResourceSchemaTests.gadgets, name: "warned").json[path: "spec", "colour"] == nil)

            // No parameter means Warn, as in kube-apiserver; Ignore sends nothing.
            let patched = try await client.request(
                method: "PATCH", path: path + "/warned", body: Array(#"{"spec":{"flavour":1}}"#.utf8),
                contentType: "application/merge-patch+json")
            #expect(Self.warnings(patched) == [#"299 - "unknown field \"spec.flavour\"""#])
            let ignored = try await client.request(
                method: "PATCH", path: path + "/warned", query: [("fieldValidation", "Ignore")],
                body: Array(#"{"spec":{"flavour":1}}"#.utf8), contentType: "application/merge-patch+json")
            #expect(ignored.status == 200)
            #expect(Self.warnings(ignored).isEmpty)
            // Server-side apply warns about the applied configuration's unknown fields.
            let applied = try await client.request(
                method: "PATCH", path: path + "/warned", query: [("fieldManager", "applier"), ("fieldValidation", "Warn")],
                body: Array(
                    #"{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"warned"},"spec":{"name":"abc","size":"L"}}"#.utf8),
                contentType: "application/apply-patch+yaml")
            #expect(applied.status == 200)
            #expect(Self.warnings(applied) == [#"299 - "unknown field \"spec.size\"""#])
        }
    }

    @Test func builtInKindWarnsForNestedFields() async throws {
        try await withTestServer { _, client in
            var odd = deployment("warned")
            odd[path: "spec", "replicaz"] = 2
            var containers = odd[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
            containers[0]["colour"] = "blue"
            odd[path: "spec", "template", "spec", "containers"] = .array(containers)
            let created = try await client.request(
                .POST, "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Warn", json: odd)
            #expect(created.status == 201)
            let warnings = created.headers["warning"]
            #expect(
                Set(warnings) == [
                    #"299 - "unknown field \"spec.replicaz\"""#,
                    #"299 - "unknown field \"spec.template.spec.containers[0].colour\"""#,
                ])
            #expect(try created.json[path: "spec", "replicaz"] == nil)
            #expect(try created.json[path: "spec", "replicas"] == 1)
            // A clean object gets no warning.
            let clean = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("clean"))
            #expect(clean.status == 201)
            #expect(clean.headers["warning"].isEmpty)
        }
    }
}
