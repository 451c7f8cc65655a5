import RoperatorClient
import Testing

@testable import RoperatorAPIServer

@Suite("Store: patches and server-side apply")
struct StorePatchTests {
    func pod(_ f: StoreFixture) throws -> JSONValue {
        try f.store.create(
            f.pods, namespace: "default",
            object: [
                "metadata": ["name": "p", "labels": ["a": "1", "b": "2"]],
                "spec": [
                    "containers": [
                        ["name": "web", "image": "nginx:1", "ports": [["containerPort": 80]]],
                        ["name": "side", "image": "busybox"],
                    ]
                ],
            ])
    }

    @Test func mergePatch() throws {
        let f = StoreFixture()
        _ = try pod(f)
        let r = try f.store.patch(
            f.pods, namespace: "default", name: "p", type: .merge,
            body: f.bytes(#"{"metadata":{"labels":{"a":null,"c":"3"}}}"#))
        #expect(r.object[path: "metadata", "labels"] == ["b": "2", "c": "3"])
        #expect(r.created == false)
        let stale = #expect(throws: APIError.self) {
            try f.store.patch(
                f.pods, namespace: "default", name: "p", type: .merge,
                body: f.bytes(#"{"metadata":{"resourceVersion":"1"}}"#))
        }
        #expect(stale?.code == 409)
        #expect(throws: APIError.self) {
            try f.store.patch(f.pods, namespace: "default", name: "missing", type: .merge, body: f.bytes("{}"))
        }
        let malformed = #expect(throws: APIError.self) {
            try f.store.patch(f.pods, namespace: "default", name: "p", type: .merge, body: f.bytes("{"))
        }
        #expect(malformed?.code == 400)
    }

    @Test func jsonPatch() throws {
        let f = StoreFixture()
        _ = try pod(f)
        let r = try f.store.patch(
            f.pods, namespace: "default", name: "p", type: .json,
            body: f.bytes(
                #"""
                [{"op":"test","path":"/metadata/labels/a","value":"1"},
                 {"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"},
                 {"op":"add","path":"/metadata/labels/x~1y","value":"z"},
                 {"op":"remove","path":"/spec/containers/1"},
                 {"op":"copy","from":"/metadata/labels/a","path":"/metadata/labels/copied"},
                 {"op":"move","from":"/metadata/labels/b","path":"/metadata/labels/moved"}]
                """#))
        #expect(r.object[path: "spec", "containers"]?.arrayValue?.count == 1)
        #expect(r.object[path: "spec", "containers"]?[0]?["image"] == "nginx:2")
        #expect(r.object[path: "metadata", "labels"] == ["a": "1", "x/y": "z", "copied": "1", "moved": "2"])
        #expect(r.object[path: "metadata", "generation"] == nil) // kube-apiserver gives Pods none
        let failed = #expect(throws: APIError.self) {
            try f.store.patch(
                f.pods, namespace: "default", name: "p", type: .json,
                body: f.bytes(#"[{"op":"test","path":"/metadata/labels/a","value":"nope"}]"#))
        }
        #expect(failed?.code == 422)
        let missing = #expect(throws: APIError.self) {
            try f.store.patch(
                f.pods, namespace: "default", name: "p", type: .json,
                body: f.bytes(#"[{"op":"remove","path":"/spec/nothing"}]"#))
        }
        #expect(missing?.code == 422)
    }

    @Test func strategicMergePatchMergesByKey() throws {
        let f = StoreFixture()
        _ = try pod(f)
        let r = try f.store.patch(
            f.pods, namespace: "default", name: "p", type: .strategic,
            body: f.bytes(
                #"""
                {"metadata":{"finalizers":["x"]},
                 "spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"side"}],
                         "containers":[{"name":"web","image":"nginx:3"},{"name":"side","$patch":"delete"},{"name":"new","image":"redis"}]}}
                """#))
        let containers = r.object[path: "spec", "containers"]?.arrayValue ?? []
        #expect(containers.compactMap { $0["name"]?.stringValue } == ["web", "new"])
        #expect(containers[0]["image"] == "nginx:3")
        #expect(containers[0]["ports"] == [["containerPort": 80, "protocol": "TCP"]]) // untouched fields of merged items stay
        let r2 = try f.store.patch(
            f.pods, namespace: "default", name: "p", type: .strategic,
            body: f.bytes(#"{"metadata":{"finalizers":["y"],"$deleteFromPrimitiveList/finalizers":["x"]}}"#))
        #expect(r2.object[path: "metadata", "finalizers"] == ["y"])
        let r3 = try f.store.patch(
            f.pods, namespace: "default", name: "p", type: .strategic,
            body: f.bytes(#"{"metadata":{"labels":{"$patch":"replace","only":"this"}}}"#))
        #expect(r3.object[path: "metadata", "labels"] == ["only": "this"])
    }

    @Test func strategicMergePatchIsUnsupportedForCustomResources() throws {
        let f = StoreFixture()
        try f.registerWidgets()
        _ = try f.store.create(f.widgets, namespace: "default", object: ["metadata": ["name": "w"]])
        let err = #expect(throws: APIError.self) {
            try f.store.patch(f.widgets, namespace: "default", name: "w", type: .strategic, body: f.bytes("{}"))
        }
        #expect(err?.code == 415)
        #expect(throws: APIError.self) { try PatchType(contentType: "text/plain") }
        #expect(try PatchType(contentType: "application/merge-patch+json; charset=utf-8") == .merge)
    }

    @Test func statusPatchChangesOnlyStatus() throws {
        let f = StoreFixture()
        _ = try pod(f)
        let r = try f.store.patch(
            f.pods, namespace: "default", name: "p", type: .merge,
            body: f.bytes(#"{"status":{"phase":"Running"},"metadata":{"labels":{"z":"1"}}}"#), subresource: .status)
        #expect(r.object[path: "status", "phase"] == "Running")
        #expect(r.object[path: "metadata", "labels", "z"] == nil)
        let main = try f.store.patch(
            f.pods, namespace: "default", name: "p", type: .merge, body: f.bytes(#"{"status":{"phase":"Failed"}}"#))
        #expect(main.object[path: "status", "phase"] == "Running")
    }

    @Test func serverSideApplyCreatesAndUpdates() throws {
        let f = StoreFixture()
        let yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: applied
              labels:
                owner: alice
            data:
              a: "1"
              b: "2"
              n: "42"
            """
        let created = try f.store.patch(
            f.configMaps, namespace: "default", name: "applied", type: .apply, body: f.bytes(yaml),
            options: WriteOptions(fieldManager: "alice"))
        #expect(created.created)
        #expect(created.object["data"] == ["a": "1", "b": "2", "n": "42"])
        let entry = try #require(created.object[path: "metadata", "managedFields"]?[0])
        #expect(entry["manager"] == "alice")
        #expect(entry["operation"] == "Apply")
        #expect(entry["apiVersion"] == "v1")
        #expect(entry["fieldsType"] == "FieldsV1")
        #expect(entry[path: "fieldsV1", "f:data", "f:a"] == .emptyObject)
        #expect(entry[path: "fieldsV1", "f:metadata", "f:labels", "f:owner"] == .emptyObject)

        // Applying again without `b` removes it (nobody else owns it); status code 200.
        let second = try f.store.patch(
            f.configMaps, namespace: "default", name: "applied", type: .apply,
            body: f.bytes(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"a":"1"}}"#),
            options: WriteOptions(fieldManager: "alice"))
        #expect(!second.created)
        #expect(second.object["data"] == ["a": "1"])
        #expect(second.object[path: "metadata", "labels"] == .emptyObject || second.object[path: "metadata", "labels"] == nil)

        let noManager = #expect(throws: APIError.self) {
            try f.store.patch(f.configMaps, namespace: "default", name: "applied", type: .apply, body: f.bytes(yaml))
        }
        #expect(noManager?.code == 400)
    }

    @Test func serverSideApplyConflictsAndForce() throws {
        let f = StoreFixture()
        func apply(_ manager: String, _ data: String?, force: Bool = false) throws -> JSONValue {
            let dataMember = data.map { #","data":\#($0)"# } ?? ""
            return try f.store.patch(
                f.configMaps, namespace: "default", name: "shared", type: .apply,
                body: f.bytes(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared"}\#(dataMember)}"#),
                options: WriteOptions(fieldManager: manager, force: force)
            ).object
        }
        _ = try apply("alice", #"{"x":"1","y":"1"}"#)
        // Same value: shared ownership, no conflict.
        _ = try apply("bob", #"{"x":"1"}"#)
        let conflict = #expect(throws: APIError.self) { try apply("bob", #"{"x":"2"}"#) }
        #expect(conflict?.code == 409)
        #expect(conflict?.reason == "Conflict")
        let cause = conflict?.statusJSON[path: "details", "causes"]?[0]
        #expect(cause?["field"] == ".data.x")
        #expect(cause?["message"]?.stringValue?.contains("alice") == true)
        let forced = try apply("bob", #"{"x":"2"}"#, force: true)
        #expect(forced["data"] == ["x": "2", "y": "1"])
        // Alice lost x; when she stops applying y it goes, x stays because bob owns it.
        let after = try apply("alice", nil)
        #expect(after["data"] == ["x": "2"])
        // A non-apply update takes ownership of what it changes.
        var cm = try f.store.get(f.configMaps, namespace: "default", name: "shared")
        cm["data"] = ["x": "3"]
        let updated = try f.store.replace(
            f.configMaps, namespace: "default", name: "shared", object: cm, options: WriteOptions(userAgent: "kubectl/v1.32"))
        let managers = updated[path: "metadata", "managedFields"]?.arrayValue?.compactMap { $0["manager"]?.stringValue } ?? []
        #expect(managers == ["kubectl"])
        let conflictWithUpdater = #expect(throws: APIError.self) { try apply("bob", #"{"x":"4"}"#) }
        #expect(conflictWithUpdater?.message.contains("conflict with \"kubectl\" using v1") == true)
    }

    @Test func serverSideApplyMergesKeyedLists() throws {
        let f = StoreFixture()
        try f.registerWidgets()
        func apply(_ manager: String, _ items: String) throws -> JSONValue {
            try f.store.patch(
                f.widgets, namespace: "default", name: "w", type: .apply,
                body: f.bytes(#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"items":\#(items)}}"#),
                options: WriteOptions(fieldManager: manager)
            ).object
        }
        _ = try apply("a", #"[{"id":"1","v":"a"}]"#)
        let both = try apply("b", #"[{"id":"2","v":"b"}]"#)
        #expect(both[path: "spec", "items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["1", "2"])
        let fields = both[path: "metadata", "managedFields"]?[1]?[path: "fieldsV1", "f:spec", "f:items"]
        #expect(fields?[#"k:{"id":"2"}"#]?["."] == .emptyObject)
        let dropped = try apply("a", #"[]"#)
        #expect(dropped[path: "spec", "items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["2"])
    }

    @Test func yamlBodiesResolveScalars() throws {
        let v = try YAMLBody.parse(Array("a: 1\nb: true\nc: null\nd: '1'\ne: 1.5\nf: [x, y]\ng: hello\n".utf8))
        #expect(v == ["a": 1, "b": true, "c": .null, "d": "1", "e": 1.5, "f": ["x", "y"], "g": "hello"])
    }

    @Test func yamlBodyErrorsAreBadRequests() throws {
        let error = #expect(throws: APIError.self) { try YAMLBody.parse(Array("a: [".utf8)) }
        #expect(error?.code == 400)
        #expect(try YAMLBody.parse(Array(#"{"c":true}"#.utf8)) == ["c": true])
    }

    @Test func malformedJSONPatchIsBadRequestAndFailedOperationIsInvalid() throws {
        let f = StoreFixture()
        _ = try pod(f)
        for body in [
            #"{"op":"add"}"#, #"[{"op":"frobnicate","path":"/a"}]"#, #"[{"path":"/a"}]"#,
            #"[{"op":"add","path":"no-slash","value":1}]"#,
        ] {
            let error = #expect(throws: APIError.self) {
                try f.store.patch(f.pods, namespace: "default", name: "p", type: .json, body: f.bytes(body))
            }
            #expect(error?.code == 400, "\(body)")
        }
        let outOfRange = #expect(throws: APIError.self) {
            try f.store.patch(
                f.pods, namespace: "default", name: "p", type: .json,
                body: f.bytes(#"[{"op":"add","path":"/spec/containers/9","value":{}}]"#))
        }
        #expect(outOfRange?.code == 422)
        #expect(outOfRange?.reason == "Invalid")
    }
}
