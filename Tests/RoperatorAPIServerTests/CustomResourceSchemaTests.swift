import RoperatorClient
import RoperatorAPIServer
import Testing

/// Pruning, defaulting and validation of custom resources by their CRD's structural schema,
/// through `KubeClient` over HTTP.
@Suite("Custom resources: structural schema")
struct CustomResourceSchemaTests {
    static let gadgets = K8sType(group: "example.com", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: true)

    static let schemaYAML = """
        type: object
        properties:
          spec:
            type: object
            required: [name]
            properties:
              name: {type: string, minLength: 2, maxLength: 10, pattern: '^[a-z]+$'}
              replicas: {type: integer, minimum: 1, maximum: 5}
              ratio: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true}
              enabled: {type: boolean}
              mode: {type: string, enum: [fast, slow]}
              port: {x-kubernetes-int-or-string: true}
              tags: {type: array, minItems: 1, maxItems: 3, items: {type: string}}
              labels: {type: object, additionalProperties: {type: string}}
              extra:
                type: object
                x-kubernetes-preserve-unknown-fields: true
                properties:
                  known: {type: object, properties: {a: {type: string}}}
              template:
                type: object
                x-kubernetes-embedded-resource: true
                properties:
                  spec: {type: object, properties: {x: {type: string}}}
              note: {type: string, nullable: true}
              color: {type: string, default: blue}
              items:
                type: array
                items: {type: object, properties: {id: {type: string}}}
          status:
            type: object
            properties:
              ready: {type: boolean}
              count: {type: integer}
        """

    static func crd(schema: JSONValue) -> KubeObject {
        KubeObject([
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "gadgets.example.com"],
            "spec": [
                "group": "example.com", "scope": "Namespaced",
                "names": ["plural": "gadgets", "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList"],
                "versions": [
                    [
                        "name": "v1", "served": true, "storage": true, "subresources": ["status": .emptyObject],
                        "schema": ["openAPIV3Schema": schema],
                    ]
                ],
            ],
        ])
    }

    static func gadget(_ name: String = "g", spec: JSONValue = ["name": "abc"]) -> KubeObject {
        KubeObject(["apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": .string(name)], "spec": spec])
    }

    /// A server with the Gadget CRD registered and a client for it.
    func withGadgets<R>(
        schema: JSONValue? = nil, _ body: (EmbeddedAPIServer, KubeClient) async throws -> R
    ) async throws -> R {
        let schema = try schema ?? JSONValue(yaml: Self.schemaYAML)
        return try await withServerAndClient { server, client in
            _ = try await client.create(.customResourceDefinition, Self.crd(schema: schema))
            return try await body(server, client)
        }
    }

    // MARK: Pruning

    @Test func createPrunesUnknownFieldsAndKeepsWhatTheSchemaAllows() async throws {
        try await withGadgets { _, client in
            let created = try await client.create(
                Self.gadgets,
                Self.gadget(spec: [
                    "name": "abc", "unknown": 1, "replicas": .null, "note": .null,
                    "labels": ["any": "x", "key": "y"],
                    "extra": ["free": ["deep": true], "known": ["a": "kept", "b": "pruned"]],
                    "template": [
                        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "labels": ["l": "v"]],
                        "spec": ["x": "kept", "y": "pruned"],
                    ],
                    "items": [["id": "1", "junk": true]],
                ]).with("junk", "top-level"))
            let spec = try #require(created.json["spec"])
            #expect(created.json["junk"] == nil)
            #expect(spec["unknown"] == nil)
            #expect(spec["labels"] == ["any": "x", "key": "y"])
            #expect(spec["extra"] == ["free": ["deep": true], "known": ["a": "kept"]])
            #expect(
                spec["template"] == [
                    "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "labels": ["l": "v"]],
                    "spec": ["x": "kept"],
                ])
            #expect(spec["items"] == [["id": "1"]])
            // A null in a non-nullable field is dropped; a nullable one keeps it; defaults fill absent fields.
            #expect(spec.objectValue?.keys.contains("replicas") == false)
            #expect(spec["note"] == .null)
            #expect(spec["color"] == "blue")
            // What is stored is what was returned.
            let stored = try await client.get(Self.gadgets, name: "g")
            #expect(stored.json["spec"] == spec)
        }
    }

    @Test func everyWritePathPrunes() async throws {
        try await withGadgets { _, client in
            var g = try await client.create(Self.gadgets, Self.gadget())
            g.json[path: "spec", "fromReplace"] = 1
            g.json[path: "spec", "replicas"] = 2
            g = try await client.replace(Self.gadgets, g)
            #expect(g.json[path: "spec", "fromReplace"] == nil)
            #expect(g.json[path: "spec", "replicas"] == 2)

            g = try await client.patch(Self.gadgets, name: "g", patch: ["spec": ["fromMerge": 1, "replicas": 3]], as: .merge)
            #expect(g.json[path: "spec", "fromMerge"] == nil)
            #expect(g.json[path: "spec", "replicas"] == 3)

            g = try await client.patch(
                Self.gadgets, name: "g",
                patch: [
                    ["op": "add", "path": "/spec/fromJSONPatch", "value": 1], ["op": "replace", "path": "/spec/replicas", "value": 4],
                ],
                as: .jsonPatch)
            #expect(g.json[path: "spec", "fromJSONPatch"] == nil)
            #expect(g.json[path: "spec", "replicas"] == 4)

            g = try await client.patch(
                Self.gadgets, name: "g",
                patch: [
                    "apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "g"],
                    "spec": ["name": "abc", "fromApply": 1, "mode": "fast"],
                ],
                as: .apply(fieldManager: "applier"))
            #expect(g.json[path: "spec", "fromApply"] == nil)
            #expect(g.json[path: "spec", "mode"] == "fast")
            let applier = try #require(g.json[path: "metadata", "managedFields"]?.arrayValue?.first { $0["manager"] == "applier" })
            #expect(applier[path: "fieldsV1", "f:spec", "f:mode"] == .emptyObject)
            #expect(applier[path: "fieldsV1", "f:spec", "f:fromApply"] == nil)

            g = try await client.patchStatus(Self.gadgets, name: "g", patch: ["status": ["ready": true, "fromStatus": 1]], as: .merge)
            #expect(g.json["status"] == ["ready": true])
            g.json["status"] = ["count": 2, "fromReplaceStatus": "x"]
            g = try await client.replaceStatus(Self.gadgets, g)
            #expect(g.json["status"] == ["count": 2])

            // Creating through server-side apply prunes too.
            let applied = try await client.patch(
                Self.gadgets, name: "fresh",
                patch: [
                    "apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "fresh"],
                    "spec": ["name": "abc", "junk": 1],
                ],
                as: .apply(fieldManager: "applier"))
            #expect(applied.json[path: "spec", "junk"] == nil)
            #expect(applied.json[path: "spec", "name"] == "abc")
        }
    }

    @Test func writingOnlyUnknownFieldsChangesNothing() async throws {
        try await withGadgets { _, client in
            let g = try await client.create(Self.gadgets, Self.gadget())
            let patched = try await client.patch(Self.gadgets, name: "g", patch: ["spec": ["junk": 1]], as: .merge)
            #expect(patched.resourceVersion == g.resourceVersion)
            #expect(patched.generation == 1)
        }
    }

    @Test func rootPreserveUnknownFieldsPrunesNothing() async throws {
        let type = K8sType(group: "example.com", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: true)
        try await withServerAndClient { _, client in
            let permissive: JSONValue = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
            _ = try await client.create(.customResourceDefinition, Self.crd(schema: permissive))
            let created = try await client.create(
                type,
                KubeObject([
                    "apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "e"],
                    "spec": ["anything": ["goes": [1, "two", .null]]], "other": true,
                ]))
            #expect(created.json["spec"] == ["anything": ["goes": [1, "two", .null]]])
            #expect(created.json["other"] == true)
        }
    }

    @Test func crdWithoutSchemaPrunesNothing() async throws {
        try await withServerAndClient { _, client in
            var crd = Self.crd(schema: .null)
            crd.json[path: "spec", "versions"] = [["name": "v1", "served": true, "storage": true]]
            _ = try await client.create(.customResourceDefinition, crd)
            let created = try await client.create(Self.gadgets, Self.gadget(spec: ["whatever": 1]))
            #expect(created.json["spec"] == ["whatever": 1])
        }
    }

    // MARK: Validation

    struct Violation: Sendable, CustomStringConvertible {
        var spec: JSONValue
        var field: String
        var reason: String
        var message: String
        var description: String { "\(field) \(reason)" }
    }

    static let violations: [Violation] = [
        .init(
            spec: ["replicas": "three"], field: "spec.replicas", reason: "FieldValueTypeInvalid",
            message: #"Invalid value: "string": spec.replicas in body must be of type integer: "string""#),
        .init(
            spec: ["replicas": 1.5], field: "spec.replicas", reason: "FieldValueTypeInvalid",
            message: #"Invalid value: "number": spec.replicas in body must be of type integer: "number""#),
        .init(
            spec: ["enabled": "yes"], field: "spec.enabled", reason: "FieldValueTypeInvalid",
            message: #"Invalid value: "string": spec.enabled in body must be of type boolean: "string""#),
        .init(
            spec: ["labels": ["a": 1]], field: "spec.labels.a", reason: "FieldValueTypeInvalid",
            message: #"Invalid value: "integer": spec.labels.a in body must be of type string: "integer""#),
        .init(
            spec: ["tags": ["a", 2]], field: "spec.tags[1]", reason: "FieldValueTypeInvalid",
            message: #"Invalid value: "integer": spec.tags[1] in body must be of type string: "integer""#),
        .init(
            spec: ["extra": "flat"], field: "spec.extra", reason: "FieldValueTypeInvalid",
            message: #"Invalid value: "string": spec.extra in body must be of type object: "string""#),
        .init(
            spec: ["items": ["id": "1"]], field: "spec.items", reason: "FieldValueTypeInvalid",
            message: #"Invalid value: "object": spec.items in body must be of type array: "object""#),
        .init(
            spec: ["port": true], field: "spec.port", reason: "FieldValueTypeInvalid",
            message: #"Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean""#),
        .init(
            spec: ["replicas": 0], field: "spec.replicas", reason: "FieldValueInvalid",
            message: "Invalid value: 0: spec.replicas in body should be greater than or equal to 1"),
        .init(
            spec: ["replicas": 6], field: "spec.replicas", reason: "FieldValueInvalid",
            message: "Invalid value: 6: spec.replicas in body should be less than or equal to 5"),
        .init(
            spec: ["ratio": 0], field: "spec.ratio", reason: "FieldValueInvalid",
            message: "Invalid value: 0: spec.ratio in body should be greater than 0"),
        .init(
            spec: ["ratio": 1], field: "spec.ratio", reason: "FieldValueInvalid",
            message: "Invalid value: 1: spec.ratio in body should be less than 1"),
        .init(
            spec: ["name": "a"], field: "spec.name", reason: "FieldValueInvalid",
            message: #"Invalid value: "a": spec.name in body should be at least 2 chars long"#),
        .init(
            spec: ["name": "abcdefghijk"], field: "spec.name", reason: "FieldValueTooLong",
            message: "Too long: may not be more than 10 bytes"),
        .init(
            spec: ["name": "Abc"], field: "spec.name", reason: "FieldValueInvalid",
            message: #"Invalid value: "Abc": spec.name in body should match '^[a-z]+$'"#),
        .init(
            spec: ["mode": "medium"], field: "spec.mode", reason: "FieldValueNotSupported",
            message: #"Unsupported value: "medium": supported values: "fast", "slow""#),
        .init(
            spec: ["tags": []], field: "spec.tags", reason: "FieldValueInvalid",
            message: "Invalid value: 0: spec.tags in body should have at least 1 items"),
        .init(
            spec: ["tags": ["a", "b", "c", "d"]], field: "spec.tags", reason: "FieldValueTooMany",
            message: "Too many: 4: must have at most 3 items"),
        .init(spec: ["name": .null], field: "spec.name", reason: "FieldValueRequired", message: "Required value"),
        .init(
            spec: ["template": ["spec": ["x": "y"]]], field: "spec.template.apiVersion", reason: "FieldValueRequired",
            message: "Required value: must not be empty"),
        .init(
            spec: ["note": 5], field: "spec.note", reason: "FieldValueTypeInvalid",
            message: #"Invalid value: "integer": spec.note in body must be of type string: "integer""#),
    ]

    @Test(arguments: violations)
    func violatingUpdateIsRejectedAndNothingStored(_ violation: Violation) async throws {
        try await withGadgets { _, client in
            let before = try await client.create(Self.gadgets, Self.gadget())
            let error = try await #require(throws: KubeAPIError.self) {
                _ = try await client.patch(Self.gadgets, name: "g", patch: ["spec": violation.spec], as: .merge)
            }
            #expect(error.code == 422)
            #expect(error.reason == .invalid)
            let causes = error.details?.causes ?? []
            #expect(
                causes.contains(.init(reason: violation.reason, message: violation.message, field: violation.field)),
                "causes: \(causes)")
            #expect(error.details?.kind == "Gadget")
            #expect(error.details?.group == "example.com")
            #expect(error.message.hasPrefix(#"Gadget.example.com "g" is invalid: "#))
            let after = try await client.get(Self.gadgets, name: "g")
            #expect(after.resourceVersion == before.resourceVersion)
            #expect(after.json["spec"] == before.json["spec"])
        }
    }

    @Test(arguments: violations)
    func violatingCreateIsRejected(_ violation: Violation) async throws {
        try await withGadgets { _, client in
            var spec: JSONValue = ["name": "abc"]
            spec.applyMergePatch(violation.spec)
            let error = try await #require(throws: KubeAPIError.self) {
                _ = try await client.create(Self.gadgets, Self.gadget(spec: spec))
            }
            #expect(error.code == 422)
            #expect(error.details?.causes.contains { $0.field == violation.field && $0.reason == violation.reason } == true)
            let missing = try await #require(throws: KubeAPIError.self) { _ = try await client.get(Self.gadgets, name: "g") }
            #expect(missing.isNotFound)
        }
    }

    @Test func theWholeMessageReadsLikeTheRealServers() async throws {
        try await withGadgets { _, client in
            let one = try await #require(throws: KubeAPIError.self) {
                _ = try await client.create(Self.gadgets, Self.gadget(spec: ["name": "abc", "replicas": "string"]))
            }
            #expect(
                one.message
                    == #"Gadget.example.com "g" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#
            )
            let two = try await #require(throws: KubeAPIError.self) {
                _ = try await client.create(Self.gadgets, Self.gadget(spec: ["replicas": 9]))
            }
            #expect(two.details?.causes.count == 2)
            #expect(two.message.contains("spec.name: Required value"))
            #expect(two.message.contains("spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5"))
        }
    }

    @Test func validValuesPass() async throws {
        try await withGadgets { _, client in
            let g = try await client.create(
                Self.gadgets,
                Self.gadget(spec: [
                    "name": "abcdefghij", "replicas": 5, "ratio": 0.5, "enabled": false, "mode": "slow", "port": "http",
                    "tags": ["a", "b", "c"], "labels": ["k": "v"], "note": .null,
                    "template": ["apiVersion": "v1", "kind": "Pod", "spec": ["x": "y"]], "items": [["id": "1"]],
                ]))
            #expect(g.json[path: "spec", "port"] == "http")
            let numeric = try await client.patch(
                Self.gadgets, name: "g", patch: ["spec": ["port": 8080, "replicas": 1, "ratio": 0.001]], as: .merge)
            #expect(numeric.json[path: "spec", "port"] == 8080)
            // An integral number is an integer.
            let integral = try await client.patch(Self.gadgets, name: "g", patch: ["spec": ["replicas": 2.0]], as: .merge)
            #expect(integral.json[path: "spec", "replicas"]?.intValue == 2)
        }
    }

    @Test func statusIsValidatedThroughTheSubresource() async throws {
        try await withGadgets { _, client in
            let g = try await client.create(Self.gadgets, Self.gadget())
            let error = try await #require(throws: KubeAPIError.self) {
                _ = try await client.patchStatus(Self.gadgets, name: "g", patch: ["status": ["count": "many"]], as: .merge)
            }
            #expect(error.code == 422)
            #expect(error.details?.causes.first?.field == "status.count")
            #expect(try await client.get(Self.gadgets, name: "g").resourceVersion == g.resourceVersion)
            let ok = try await client.patchStatus(Self.gadgets, name: "g", patch: ["status": ["count": 3]], as: .merge)
            #expect(ok.json[path: "status", "count"] == 3)
        }
    }

    @Test func strictFieldValidationRefusesUnknownFields() async throws {
        try await withGadgets { _, client in
            let path = "/apis/example.com/v1/namespaces/default/gadgets"
            let body = JSONValue.object([
                "apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "strict"],
                "spec": ["name": "abc", "colour": "red", "flavour": ["x": 1]],
            ]).serializedBytes()
            let error = try await #require(throws: KubeAPIError.self) {
                _ = try await client.request(method: "POST", path: path, query: [("fieldValidation", "Strict")], body: body)
            }
            #expect(error.code == 400)
            #expect(
                error.message.contains(#"strict decoding error: unknown field "spec.colour", unknown field "spec.flavour""#),
                "\(error.message)")
            await #expect(throws: KubeAPIError.self) { _ = try await client.get(Self.gadgets, name: "strict") }
            // Warn and Ignore drop the fields, as without the parameter.
            let created = try await client.request(method: "POST", path: path, query: [("fieldValidation", "Warn")], body: body)
            #expect(created.status == 201)
            #expect(try await client.get(Self.gadgets, name: "strict").json["spec"] == ["name": "abc", "color": "blue"])
            let bad = try await #require(throws: KubeAPIError.self) {
                _ = try await client.request(method: "POST", path: path, query: [("fieldValidation", "Loud")], body: body)
            }
            #expect(bad.code == 400)
            // A strict server-side apply with an unknown field is refused too.
            let apply = try await #require(throws: KubeAPIError.self) {
                _ = try await client.request(
                    method: "PATCH", path: path + "/strict",
                    query: [("fieldManager", "applier"), ("fieldValidation", "Strict")],
                    body: JSONValue.object([
                        "apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "strict"],
                        "spec": ["name": "abc", "colour": "blue"],
                    ]).serializedBytes(),
                    contentType: "application/apply-patch+yaml")
            }
            #expect(apply.code == 400)
        }
    }

    @Test func serverSideApplyIsValidated() async throws {
        try await withGadgets { _, client in
            let error = try await #require(throws: KubeAPIError.self) {
                _ = try await client.patch(
                    Self.gadgets, name: "g",
                    patch: [
                        "apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "g"],
                        "spec": ["name": "abc", "mode": "warp"],
                    ],
                    as: .apply(fieldManager: "applier"))
            }
            #expect(error.code == 422)
            #expect(error.details?.causes.first?.reason == "FieldValueNotSupported")
        }
    }
}

extension KubeObject {
    /// A copy with a top-level field set.
    fileprivate func with(_ key: String, _ value: JSONValue) -> KubeObject {
        var copy = self
        copy.json[key] = value
        return copy
    }
}

/// kubectl against a CRD with a schema: what the user sees of pruning and validation.
@Suite("kubectl: custom resource schema")
struct KubectlCustomResourceSchemaTests {
    @Test func applyPrunesUnknownFieldsAndReportsTypeErrors() async throws {
        guard let minor = installedKubectls.keys.max() else {
            print("skipping: no kubectl installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try KubectlTests.Kubectl(minor: minor, server: server)
            #expect(try await kubectl("apply", "-f", "@input", input: KubectlTests.crdYAML).contains("created"))
            // kubectl's default strict field validation refuses the unknown field, as a real server
            // does; without it, the field is dropped silently.
            let unknown = KubectlTests.widgetYAML + "\n  colour: red\n"
            let refused = try await kubectl("apply", "-f", "@input", input: unknown, expectSuccess: false)
            #expect(refused.contains(#"strict decoding error: unknown field "spec.colour""#), "kubectl printed: \(refused)")
            #expect(
                try await kubectl("apply", "--validate=false", "-f", "@input", input: unknown).contains("widget.example.com/gear created"))
            let object = try JSONValue(parsing: try await kubectl("get", "widget", "gear", "-o", "json"))
            #expect(object["spec"] == ["size": 3])

            let wrongType = KubectlTests.widgetYAML.replacingOccurrences(of: "size: 3", with: "size: big")
            let output = try await kubectl("apply", "-f", "@input", input: wrongType, expectSuccess: false)
            #expect(
                output.contains(#"spec.size: Invalid value: "string": spec.size in body must be of type integer: "string""#),
                "kubectl printed: \(output)")
            let after = try JSONValue(parsing: try await kubectl("get", "widget", "gear", "-o", "json"))
            #expect(after[path: "spec", "size"] == 3)
        }
    }
}
