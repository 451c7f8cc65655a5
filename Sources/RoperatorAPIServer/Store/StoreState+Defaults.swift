import RoperatorClient

extension StoreState {
    /// The defaulting a real server applies to built-in kinds on every write
    /// (``BuiltInDefaults``), and what it sets only on create: allocated addresses and node ports,
    /// initial phases, a Job's generated selector.
    func applyDefaults(_ info: ResourceInfo, _ object: inout JSONValue, creating: Bool) {
        guard !info.isCustom else { return }
        BuiltInDefaults.apply(info, &object)
        switch (info.group, info.plural) {
        case ("", "namespaces"):
            if let name = object[path: "metadata", "name"]?.stringValue {
                object[path: "metadata", "labels", "kubernetes.io/metadata.name"] = .string(name)
            }
        case ("", "pods") where creating:
            object["status"] = ["phase": "Pending", "qosClass": "BestEffort"]
        case ("", "persistentvolumeclaims") where creating, ("", "persistentvolumes") where creating:
            object["status"] = ["phase": "Pending"]
        case ("", "services") where creating:
            object.modify("spec", allocateServiceAddresses)
        case ("batch", "jobs") where creating:
            Self.generateJobSelector(&object)
        default:
            break
        }
    }

    /// A cluster IP (unless headless or `ExternalName`), its family, and node ports for
    /// `NodePort` and `LoadBalancer` services. Addresses are unique within a run; clients can
    /// observe nothing else.
    private func allocateServiceAddresses(_ spec: inout JSONValue) {
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        guard type != "ExternalName" else { return }
        let n = Int(resourceVersion + 1)
        let clusterIP = spec["clusterIP"]?.stringValue ?? ""
        if clusterIP.isEmpty {
            let ip = "10.96.\((n / 250) % 250).\(n % 250 + 2)"
            spec["clusterIP"] = .string(ip)
            spec["clusterIPs"] = [.string(ip)]
        } else if spec["clusterIPs"] == nil {
            spec["clusterIPs"] = [.string(clusterIP)]
        }
        spec.setDefault("ipFamilies", ["IPv4"])
        spec.setDefault("ipFamilyPolicy", "SingleStack")
        if type == "NodePort" || type == "LoadBalancer" {
            var next = 30000 + (n * 7) % 2700
            spec.modifyEach("ports") { port in
                if port["nodePort"] == nil {
                    port["nodePort"] = .int(Int64(next))
                    next += 1
                }
            }
        }
    }

    /// A Job without `manualSelector: true` selects its pods by its uid, and its pod template
    /// carries the labels that selector and `kubectl` look for.
    private static func generateJobSelector(_ job: inout JSONValue) {
        guard job[path: "spec", "manualSelector"]?.boolValue != true,
            let uid = job[path: "metadata", "uid"]?.stringValue, let name = job[path: "metadata", "name"]?.stringValue
        else { return }
        job.modify("spec") { spec in
            spec["selector"] = ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]]
            var labels = spec[path: "template", "metadata", "labels"]?.objectValue ?? [:]
            labels["batch.kubernetes.io/controller-uid"] = .string(uid)
            labels["batch.kubernetes.io/job-name"] = .string(name)
            labels["controller-uid"] = .string(uid)
            labels["job-name"] = .string(name)
            spec[path: "template", "metadata", "labels"] = .object(labels)
        }
    }
}
