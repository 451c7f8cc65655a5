import Foundation
import RoperatorClient

extension BuiltInDefaults {
    /// Applies the defaults of `info`'s kind to `object` (create and update alike; what only a
    /// create sets, such as allocated addresses, is done by the store).
    static func apply(_ info: ResourceInfo, _ object: inout JSONValue) {
        switch (info.group, info.plural) {
        case ("", "pods"): pod(&object)
        case ("", "podtemplates"): object.modify("template", podTemplate)
        case ("", "replicationcontrollers"):
            object.modify("spec") { spec in
                spec.setDefault("replicas", 1)
                spec.modify("template", podTemplate)
            }
        case ("apps", "deployments"): object.modify("spec", deploymentSpec)
        case ("apps", "replicasets"):
            object.modify("spec") { spec in
                spec.setDefault("replicas", 1)
                spec.modify("template", podTemplate)
            }
        case ("apps", "statefulsets"): object.modify("spec", statefulSetSpec)
        case ("apps", "daemonsets"): object.modify("spec", daemonSetSpec)
        case ("batch", "jobs"): object.modify("spec", jobSpec)
        case ("batch", "cronjobs"): object.modify("spec", cronJobSpec)
        case ("", "services"): object.modify("spec", serviceSpec)
        case ("", "secrets"): secret(&object)
        case ("", "persistentvolumeclaims"): object.modify("spec", persistentVolumeClaimSpec)
        case ("", "persistentvolumes"):
            object.modify("spec") { spec in
                spec.setDefault("persistentVolumeReclaimPolicy", "Retain")
                spec.setDefault("volumeMode", "Filesystem")
            }
        case ("networking.k8s.io", "networkpolicies"):
            object.modify("spec") { spec in
                if spec["policyTypes"] == nil {
                    var types: [JSONValue] = ["Ingress"]
                    if spec["egress"] != nil { types.append("Egress") }
                    spec["policyTypes"] = .array(types)
                }
                for direction in ["ingress", "egress"] {
                    spec.modifyEach(direction) { rule in
                        rule.modifyEach("ports") { $0.setDefault("protocol", "TCP") }
                    }
                }
            }
        default:
            break
        }
    }

    /// `SetDefaults_Deployment` (apps/v1).
    static func deploymentSpec(_ spec: inout JSONValue) {
        spec.setDefault("replicas", 1)
        var strategy = spec["strategy"] ?? .emptyObject
        strategy.setDefault("type", "RollingUpdate")
        if strategy["type"]?.stringValue == "RollingUpdate" {
            var rolling = strategy["rollingUpdate"] ?? .emptyObject
            rolling.setDefault("maxUnavailable", "25%")
            rolling.setDefault("maxSurge", "25%")
            strategy["rollingUpdate"] = rolling
        }
        spec["strategy"] = strategy
        spec.setDefault("revisionHistoryLimit", 10)
        spec.setDefault("progressDeadlineSeconds", 600)
        spec.modify("template", podTemplate)
    }

    /// `SetDefaults_StatefulSet` (apps/v1).
    static func statefulSetSpec(_ spec: inout JSONValue) {
        spec.setDefault("replicas", 1)
        spec.setDefault("podManagementPolicy", "OrderedReady")
        var strategy = spec["updateStrategy"] ?? .emptyObject
        strategy.setDefault("type", "RollingUpdate")
        if strategy["type"]?.stringValue == "RollingUpdate" {
            var rolling = strategy["rollingUpdate"] ?? .emptyObject
            rolling.setDefault("partition", 0)
            strategy["rollingUpdate"] = rolling
        }
        spec["updateStrategy"] = strategy
        spec.setDefault("revisionHistoryLimit", 10)
        var retention = spec["persistentVolumeClaimRetentionPolicy"] ?? .emptyObject
        retention.setDefault("whenDeleted", "Retain")
        retention.setDefault("whenScaled", "Retain")
        spec["persistentVolumeClaimRetentionPolicy"] = retention
        spec.modify("template", podTemplate)
        spec.modifyEach("volumeClaimTemplates") { claim in
            claim.modify("spec", persistentVolumeClaimSpec)
            claim.setDefault("status", ["phase": "Pending"])
        }
    }

    /// `SetDefaults_DaemonSet` (apps/v1).
    static func daemonSetSpec(_ spec: inout JSONValue) {
        var strategy = spec["updateStrategy"] ?? .emptyObject
        strategy.setDefault("type", "RollingUpdate")
        if strategy["type"]?.stringValue == "RollingUpdate" {
            var rolling = strategy["rollingUpdate"] ?? .emptyObject
            rolling.setDefault("maxUnavailable", 1)
            rolling.setDefault("maxSurge", 0)
            strategy["rollingUpdate"] = rolling
        }
        spec["updateStrategy"] = strategy
        spec.setDefault("revisionHistoryLimit", 10)
        spec.modify("template", podTemplate)
    }

    /// `SetDefaults_Job` (batch/v1).
    static func jobSpec(_ spec: inout JSONValue) {
        if spec["completions"] == nil, spec["parallelism"] == nil {
            spec["completions"] = 1
            spec["parallelism"] = 1
        }
        spec.setDefault("parallelism", 1)
        spec.setDefault("backoffLimit", 6)
        spec.setDefault("completionMode", "NonIndexed")
        spec.setDefault("suspend", false)
        if spec["podFailurePolicy"] == nil { spec.setDefault("podReplacementPolicy", "TerminatingOrFailed") }
        spec.modify("template", podTemplate)
    }

    /// `SetDefaults_CronJob` (batch/v1); the job template's pod template gets the pod defaults.
    static func cronJobSpec(_ spec: inout JSONValue) {
        spec.setDefault("concurrencyPolicy", "Allow")
        spec.setDefault("suspend", false)
        spec.setDefault("successfulJobsHistoryLimit", 3)
        spec.setDefault("failedJobsHistoryLimit", 1)
        spec.modify("jobTemplate") { template in
            template.modify("spec") { $0.modify("template", podTemplate) }
        }
    }

    /// `SetDefaults_Service`: type, session affinity, ports, traffic policies. Addresses and node
    /// ports are allocated by the store on create.
    static func serviceSpec(_ spec: inout JSONValue) {
        spec.setDefault("type", "ClusterIP")
        spec.setDefault("sessionAffinity", "None")
        if spec["sessionAffinity"]?.stringValue == "ClientIP" {
            var config = spec["sessionAffinityConfig"] ?? .emptyObject
            var clientIP = config["clientIP"] ?? .emptyObject
            clientIP.setDefault("timeoutSeconds", 10800)
            config["clientIP"] = clientIP
            spec["sessionAffinityConfig"] = config
        }
        spec.modifyEach("ports") { port in
            port.setDefault("protocol", "TCP")
            if port["targetPort"] == nil || port["targetPort"] == .int(0) || port["targetPort"] == .string("") {
                if let number = port["port"] { port["targetPort"] = number }
            }
        }
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        if type == "NodePort" || type == "LoadBalancer" {
            spec.setDefault("externalTrafficPolicy", "Cluster")
        }
        if type == "LoadBalancer" { spec.setDefault("allocateLoadBalancerNodePorts", true) }
        if type != "ExternalName" { spec.setDefault("internalTrafficPolicy", "Cluster") }
    }

    /// `stringData` merged into `data` (base64), and `type: Opaque`.
    static func secret(_ secret: inout JSONValue) {
        if let stringData = secret["stringData"]?.objectValue {
            var data = secret["data"]?.objectValue ?? [:]
            for (key, value) in stringData {
                if let text = value.stringValue { data[key] = .string(Data(text.utf8).base64EncodedString()) }
            }
            secret["data"] = .object(data)
            secret["stringData"] = nil
        }
        secret.setDefault("type", "Opaque")
    }

    /// `SetDefaults_PersistentVolumeClaimSpec`.
    static func persistentVolumeClaimSpec(_ spec: inout JSONValue) {
        spec.setDefault("volumeMode", "Filesystem")
    }
}
