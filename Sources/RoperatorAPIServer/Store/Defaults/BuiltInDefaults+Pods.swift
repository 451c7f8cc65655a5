import RoperatorClient

/// The defaults kube-apiserver gives built-in kinds (its `SetDefaults_*` functions), for the fields
/// operators create most. The full list is in docs/embedded-api-server.md.
enum BuiltInDefaults {
    /// A pod template (`spec.template` of workloads): its pod spec.
    static func podTemplate(_ template: inout JSONValue) {
        template.modify("spec", podSpec)
    }

    /// `SetDefaults_PodSpec` and what it reaches: containers, ports, probes, volumes.
    static func podSpec(_ spec: inout JSONValue) {
        guard spec.objectValue != nil else { return }
        spec.setDefault("dnsPolicy", "ClusterFirst")
        spec.setDefault("restartPolicy", "Always")
        spec.setDefault("terminationGracePeriodSeconds", 30)
        spec.setDefault("securityContext", .emptyObject)
        spec.setDefault("schedulerName", "default-scheduler")
        spec.modifyEach("containers", container)
        spec.modifyEach("initContainers", container)
        spec.modifyEach("ephemeralContainers", container)
        spec.modifyEach("volumes", volume)
    }

    /// `SetDefaults_Container`: pull policy by tag, termination message, ports, probes, env.
    static func container(_ container: inout JSONValue) {
        if container["imagePullPolicy"] == nil, let image = container["image"]?.stringValue {
            container["imagePullPolicy"] = .string(pullPolicy(image: image))
        }
        container.setDefault("terminationMessagePath", "/dev/termination-log")
        container.setDefault("terminationMessagePolicy", "File")
        container.modifyEach("ports") { port in port.setDefault("protocol", "TCP") }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] { container.modify(probe, self.probe) }
        container.modifyEach("env") { env in
            env.modify("valueFrom") { from in from.modify("fieldRef") { $0.setDefault("apiVersion", "v1") } }
        }
        container.modify("lifecycle") { lifecycle in
            for hook in ["postStart", "preStop"] {
                lifecycle.modify(hook) { $0.modify("httpGet", httpGet) }
            }
        }
    }

    /// `Always` for `:latest` or no tag, `IfNotPresent` for any other tag or a digest.
    static func pullPolicy(image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastPart = image.split(separator: "/").last ?? Substring(image)
        guard let colon = lastPart.lastIndex(of: ":") else { return "Always" }
        return lastPart[lastPart.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    /// `SetDefaults_Probe` and `SetDefaults_HTTPGetAction`.
    static func probe(_ probe: inout JSONValue) {
        probe.setDefault("timeoutSeconds", 1)
        probe.setDefault("periodSeconds", 10)
        probe.setDefault("successThreshold", 1)
        probe.setDefault("failureThreshold", 3)
        probe.modify("httpGet", httpGet)
    }

    static func httpGet(_ action: inout JSONValue) {
        action.setDefault("path", "/")
        action.setDefault("scheme", "HTTP")
    }

    /// `SetDefaults_Volume` and the volume sources' file modes (0644).
    static func volume(_ volume: inout JSONValue) {
        let sources = volume.objectValue?.keys.filter { $0 != "name" } ?? []
        if sources.isEmpty { volume["emptyDir"] = .emptyObject }
        for source in ["secret", "configMap", "downwardAPI", "projected"] {
            volume.modify(source) { $0.setDefault("defaultMode", 420) }
        }
        volume.modify("hostPath") { $0.setDefault("type", "") }
        volume.modify("downwardAPI") { api in
            api.modifyEach("items") { item in item.modify("fieldRef") { $0.setDefault("apiVersion", "v1") } }
        }
    }

    /// `SetDefaults_Pod` on top of the pod spec's: service links, requests from limits.
    static func pod(_ pod: inout JSONValue) {
        pod.modify("spec") { spec in
            podSpec(&spec)
            spec.setDefault("enableServiceLinks", true)
            for list in ["containers", "initContainers"] {
                spec.modifyEach(list) { container in
                    container.modify("resources") { resources in
                        guard let limits = resources["limits"]?.objectValue else { return }
                        var requests = resources["requests"]?.objectValue ?? [:]
                        for (name, quantity) in limits where requests[name] == nil { requests[name] = quantity }
                        resources["requests"] = .object(requests)
                    }
                }
            }
        }
    }
}
