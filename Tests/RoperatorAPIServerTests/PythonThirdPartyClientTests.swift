import Testing

/// Two more third-party Python clients the contract names, `lightkube` and `kr8s`, against the
/// embedded server: each runs its usual workflow and prints one JSON object of named checks.
@Suite("lightkube and kr8s compatibility")
struct PythonThirdPartyClientTests {
    static let lightkube = #"""
        import json, sys, threading
        from lightkube import Client, KubeConfig, codecs
        from lightkube.core.exceptions import ApiError
        from lightkube.generic_resource import create_namespaced_resource
        from lightkube.models.meta_v1 import ObjectMeta
        from lightkube.resources.apiextensions_v1 import CustomResourceDefinition
        from lightkube.resources.core_v1 import ConfigMap, Namespace
        from lightkube.types import PatchType

        client = Client(config=KubeConfig.from_file(sys.argv[1]))
        results = {}
        results["list"] = "default" in [ns.metadata.name for ns in client.list(Namespace)]
        created = client.create(ConfigMap(metadata=ObjectMeta(name="lk", namespace="default"), data={"a": "1"}))
        results["create"] = created.metadata.resourceVersion is not None and created.metadata.uid is not None
        results["get"] = client.get(ConfigMap, "lk", namespace="default").data == {"a": "1"}

        seen = []
        def watcher():
            for op, obj in client.watch(ConfigMap, namespace="default", resource_version=created.metadata.resourceVersion):
                seen.append((op, obj.metadata.name))
                if len(seen) == 2:
                    break
        t = threading.Thread(target=watcher, daemon=True)
        t.start()
        added = client.create(ConfigMap(metadata=ObjectMeta(name="lk2", namespace="default")))
        merged = client.patch(ConfigMap, "lk", {"data": {"b": "2"}}, namespace="default", patch_type=PatchType.MERGE)
        t.join(10)
        results["watch"] = seen == [("ADDED", "lk2"), ("MODIFIED", "lk")]
        results["merge_patch"] = merged.data == {"a": "1", "b": "2"}
        jsonp = client.patch(ConfigMap, "lk", [{"op": "replace", "path": "/data/a", "value": "3"}], namespace="default", patch_type=PatchType.JSON)
        results["json_patch"] = jsonp.data == {"a": "3", "b": "2"}
        applied = client.apply(ConfigMap(apiVersion="v1", kind="ConfigMap", metadata=ObjectMeta(name="lk-ssa", namespace="default"), data={"k": "v"}), field_manager="lightkube")
        results["server_side_apply"] = applied.data == {"k": "v"} and any(m.manager == "lightkube" for m in applied.metadata.managedFields)

        stale = client.get(ConfigMap, "lk2", namespace="default")
        client.patch(ConfigMap, "lk2", {"data": {"x": "1"}}, namespace="default")
        try:
            client.replace(stale)
            results["stale_replace_409"] = False
        except ApiError as e:
            results["stale_replace_409"] = e.status.code == 409 and e.status.reason == "Conflict"

        client.create(codecs.from_dict({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                     "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                     "versions": [{"name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
                                   "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]}}))
        Widget = create_namespaced_resource("example.com", "v1", "Widget", "widgets")
        client.create(Widget(metadata=ObjectMeta(name="w", namespace="default"), spec={"n": 1}))
        status = client.patch(Widget.Status, "w", {"status": {"phase": "Ready"}}, namespace="default", patch_type=PatchType.MERGE)
        results["status_patch"] = status.status == {"phase": "Ready"} and status.spec == {"n": 1}

        client.delete(ConfigMap, "lk", namespace="default")
        try:
            client.get(ConfigMap, "lk", namespace="default")
            results["delete"] = False
        except ApiError as e:
            results["delete"] = e.status.code == 404
        print(json.dumps(results))
        """#

    static let kr8s = #"""
        import json, sys, threading
        import kr8s
        from kr8s.objects import ConfigMap, Namespace

        api = kr8s.api(kubeconfig=sys.argv[1])
        results = {}
        results["version"] = "gitVersion" in api.version()
        results["list"] = "default" in [ns.name for ns in api.get("namespaces")]
        cm = ConfigMap({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "k8", "namespace": "default"}, "data": {"a": "1"}}, api=api)
        cm.create()
        results["create"] = cm.metadata.resourceVersion is not None and cm.exists()
        rv = cm.metadata.resourceVersion

        seen = []
        def watcher():
            for event, obj in api.watch("configmaps", namespace="default", since=rv):
                seen.append((event, obj.name))
                if len(seen) == 2:
                    break
        t = threading.Thread(target=watcher, daemon=True)
        t.start()
        ConfigMap({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "k82", "namespace": "default"}}, api=api).create()
        cm.patch({"data": {"b": "2"}})
        t.join(10)
        results["watch"] = seen == [("ADDED", "k82"), ("MODIFIED", "k8")]
        results["patch"] = cm.data == {"a": "1", "b": "2"}
        cm.patch([{"op": "replace", "path": "/data/a", "value": "3"}], type="json")
        results["json_patch"] = cm.data["a"] == "3"
        cm.label(team="x")
        results["labels"] = ConfigMap.get("k8", namespace="default", api=api).labels == {"team": "x"}
        results["selector"] = [c.name for c in api.get("configmaps", namespace="default", label_selector={"team": "x"})] == ["k8"]
        results["api_resources"] = any(r["name"] == "configmaps" for r in api.api_resources())
        cm.delete()
        results["delete"] = not cm.exists()
        print(json.dumps(results))
        """#

    @Test func lightkubeWorkflow() async throws {
        try await PythonClientTests.runChecks(Self.lightkube, module: "lightkube", expecting: 10)
    }

    @Test func kr8sWorkflow() async throws {
        try await PythonClientTests.runChecks(Self.kr8s, module: "kr8s", expecting: 10)
    }
}
