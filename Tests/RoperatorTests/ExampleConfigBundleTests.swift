import ConfigBundleExample
import Roperator
import RoperatorTesting
import Testing

@Suite("Example: ConfigBundle")
struct ExampleConfigBundleTests {
    @Test("both operators of the group converge, writing their ConfigMaps by server-side apply")
    func groupConvergesWithServerSideApply() async throws {
        let crds = try EmbeddedAPIServer.Configuration.customResourceDefinitions(fromFile: ConfigOperators.crdFile.path)
        #expect(crds.count == 2)
        let server = try await EmbeddedAPIServer.start(EmbeddedAPIServer.Configuration(customResourceDefinitions: crds))
        let client = try KubeClient(configuration: server.clientConfiguration)
        let group = try ConfigOperators.makeGroup(client: client)
        let run = Task { try await group.run() }
        do {
            try await poll("both operators ready") { group.isReady }
            _ = try await client.create(
                ConfigBundle.type,
                KubeObject(
                    [
                        "metadata": ["name": "settings", "namespace": "default"],
                        "spec": ["data": ["LOG_LEVEL": "info", "GREETING": "hello"]],
                    ] as JSONValue))
            _ = try await client.create(
                FeatureFlags.type,
                KubeObject(
                    [
                        "metadata": ["name": "web", "namespace": "default"],
                        "spec": ["flags": ["newCheckout": true, "darkMode": false]],
                    ] as JSONValue))

            let settings = try await configMap(client, "settings", data: ["LOG_LEVEL": "info", "GREETING": "hello"])
            let flags = try await configMap(client, "web-flags", data: ["newCheckout": "true", "darkMode": "false"])
            // Each operator applied its own ConfigMap, under its own name as field manager.
            #expect(appliers(of: settings) == [ConfigBundle.operatorName])
            #expect(appliers(of: flags) == [FeatureFlags.operatorName])
            try await poll("both statuses written") {
                let bundle = try await client.get(ConfigBundle.type, namespace: "default", name: "settings")
                let feature = try await client.get(FeatureFlags.type, namespace: "default", name: "web")
                return bundle.status?["appliedKeys"] == 2 && bundle.status?["configMap"] == "settings"
                    && feature.status?["enabled"] == ["newCheckout"] && feature.status?["configMap"] == "web-flags"
            }

            // Someone else adds a key; then the bundle changes one key and drops another. Apply keeps
            // the other manager's key and removes only the key the operator stopped sending.
            _ = try await client.patch(
                .configMap, namespace: "default", name: "settings", patch: ["data": ["EXTRA": "kept"]], as: .merge,
                fieldManager: "someone-else")
            _ = try await client.patch(
                ConfigBundle.type, namespace: "default", name: "settings",
                patch: ["spec": ["data": ["LOG_LEVEL": "debug", "GREETING": .null]]], as: .merge)
            _ = try await configMap(client, "settings", data: ["LOG_LEVEL": "debug", "EXTRA": "kept"])
            try await poll("the bundle reports the other manager's key") {
                let bundle = try await client.get(ConfigBundle.type, namespace: "default", name: "settings")
                return bundle.status?["otherKeys"] == ["EXTRA"] && bundle.status?["appliedKeys"] == 1
            }
            // A sync is counted after its status write returns, so the count may trail the status.
            try await poll("every operator counts a successful sync") {
                group.operators.allSatisfy { $0.statistics.successfulSyncs > 0 }
            }
        } catch {
            run.cancel()
            _ = await run.result
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
        run.cancel()
        _ = await run.result
        try await client.shutdown()
        try await server.shutdown()
    }

    /// Waits until the ConfigMap's `data` is exactly `data`.
    private func configMap(_ client: KubeClient, _ name: String, data: [String: String]) async throws -> KubeObject {
        let expected = JSONValue.object(data.mapValues { .string($0) })
        try await poll("ConfigMap \(name) holds \(expected.serialized())") {
            do {
                return try await client.get(.configMap, namespace: "default", name: name).json["data"] == expected
            } catch let error as KubeAPIError where error.isNotFound {
                return false
            }
        }
        return try await client.get(.configMap, namespace: "default", name: name)
    }

    /// The field managers whose `Apply` entries are on `object`.
    private func appliers(of object: KubeObject) -> [String] {
        (object.json[path: "metadata", "managedFields"]?.arrayValue ?? [])
            .filter { $0["operation"] == "Apply" }
            .compactMap { $0["manager"]?.stringValue }
    }
}
