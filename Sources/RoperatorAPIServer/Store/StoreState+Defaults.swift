import Foundation
import RoperatorClient

extension StoreState {
    /// The defaulting a real server applies to built-in kinds on every write, for the fields
    /// clients commonly read back.
    func applyDefaults(_ info: ResourceInfo, _ object: inout JSONValue, creating: Bool) {
        guard info.group.isEmpty else { return }
        switch info.plural {
        case "secrets":
            // `stringData` is write-only: merged into `data` as base64.
            if let stringData = object["stringData"]?.objectValue {
                var data = object["data"]?.objectValue ?? [:]
                for (k, v) in stringData {
                    if let s = v.stringValue { data[k] = .string(Data(s.utf8).base64EncodedString()) }
                }
                object["data"] = .object(data)
                object["stringData"] = nil
            }
            if object["type"] == nil { object["type"] = "Opaque" }
        case "pods":
            if creating { object["status"] = ["phase": "Pending", "qosClass": "BestEffort"] }
            if object[path: "spec", "restartPolicy"] == nil, object["spec"] != nil {
                object[path: "spec", "restartPolicy"] = "Always"
            }
        case "services":
            guard var spec = object["spec"]?.objectValue else { return }
            if spec["type"] == nil { spec["type"] = "ClusterIP" }
            if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
            if let ports = spec["ports"]?.arrayValue {
                spec["ports"] = .array(ports.map { port in
                    var p = port
                    if p["protocol"] == nil { p["protocol"] = "TCP" }
                    if p["targetPort"] == nil, let number = p["port"] { p["targetPort"] = number }
                    return p
                })
            }
            if creating, spec["clusterIP"] == nil, spec["type"]?.stringValue != "ExternalName" {
                // Stable per object within a run; uniqueness is all clients can observe.
                let n = Int(resourceVersion + 1)
                let ip = "10.96.\((n / 250) % 250).\(n % 250 + 2)"
                spec["clusterIP"] = .string(ip)
                spec["clusterIPs"] = [.string(ip)]
            }
            object["spec"] = .object(spec)
        default:
            break
        }
    }
}
