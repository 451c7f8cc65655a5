import Foundation
import RoperatorClient

/// Turns objects into a `meta.k8s.io` Table, the server-side printing `kubectl get` asks for: the
/// columns the real server prints for the common built-in kinds, a CRD's `additionalPrinterColumns`,
/// and NAME/AGE for everything else.
struct TableConverter: Sendable {
    /// One printed column: its definition and how a row's cell is computed.
    struct Column: Sendable {
        var name: String
        var type: String
        var format: String = ""
        var description: String
        var priority: Int64 = 0
        var cell: @Sendable (JSONValue, Int64) -> JSONValue

        var definition: JSONValue {
            [
                "name": .string(name), "type": .string(type), "format": .string(format),
                "description": .string(description), "priority": .int(priority),
            ]
        }
    }

    /// What each row's `object` holds, from the `includeObject` query parameter.
    enum IncludeObject: String, Sendable {
        case none = "None"
        case metadata = "Metadata"
        case object = "Object"
    }

    let format: TableFormat
    let columns: [Column]
    let includeObject: IncludeObject

    /// - Parameters:
    ///   - info: the resource listed.
    ///   - printerColumns: the CRD version's `additionalPrinterColumns`, for custom resources.
    ///   - includeObject: the `includeObject` query parameter (default `Metadata`).
    /// - Throws: 400 for an unknown `includeObject`.
    init(format: TableFormat, info: ResourceInfo, printerColumns: [JSONValue]?, includeObject: String?) throws(APIError) {
        self.format = format
        switch includeObject ?? "" {
        case "": self.includeObject = .metadata
        case let raw:
            guard let value = IncludeObject(rawValue: raw) else {
                throw .badRequest("includeObject: Unsupported value: \"\(raw)\": supported values: \"None\", \"Metadata\", \"Object\"")
            }
            self.includeObject = value
        }
        if let printerColumns, !printerColumns.isEmpty {
            columns = [Self.name] + printerColumns.compactMap(Self.printerColumn)
        } else {
            columns = Self.builtInColumns(info)
        }
    }

    /// The Table for a list answer (`items`, `metadata.resourceVersion`, `metadata.continue`).
    func table(list: JSONValue, now: Int64 = Int64(time(nil))) -> JSONValue {
        var metadata: JSONValue = .emptyObject
        for field in ["resourceVersion", "continue", "remainingItemCount"] {
            if let value = list[path: "metadata", field] { metadata[field] = value }
        }
        return table(objects: list["items"]?.arrayValue ?? [], metadata: metadata, now: now)
    }

    /// The Table for a single object.
    func table(object: JSONValue, now: Int64 = Int64(time(nil))) -> JSONValue {
        var metadata: JSONValue = .emptyObject
        if let version = object[path: "metadata", "resourceVersion"] { metadata["resourceVersion"] = version }
        return table(objects: [object], metadata: metadata, now: now)
    }

    private func table(objects: [JSONValue], metadata: JSONValue, now: Int64) -> JSONValue {
        var rows: [JSONValue] = []
        rows.reserveCapacity(objects.count)
        for object in objects {
            var row: JSONValue = ["cells": .array(columns.map { $0.cell(object, now) })]
            switch includeObject {
            case .none: break
            case .object: row["object"] = object
            case .metadata:
                row["object"] = [
                    "kind": "PartialObjectMetadata", "apiVersion": .string(format.apiVersion),
                    "metadata": object["metadata"] ?? .emptyObject,
                ]
            }
            rows.append(row)
        }
        return [
            "kind": "Table", "apiVersion": .string(format.apiVersion), "metadata": metadata,
            "columnDefinitions": .array(columns.map(\.definition)), "rows": .array(rows),
        ]
    }

    // MARK: Columns

    static let name = Column(
        name: "Name", type: "string", format: "name",
        description:
            "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    ) { object, _ in object[path: "metadata", "name"] ?? "" }

    static let age = Column(
        name: "Age", type: "string",
        description: "CreationTimestamp is a timestamp representing the server time when this object was created."
    ) { object, now in .string(age(object[path: "metadata", "creationTimestamp"]?.stringValue, now: now)) }

    static func builtInColumns(_ info: ResourceInfo) -> [Column] {
        switch (info.group, info.plural) {
        case ("", "pods"):
            return [name, podReady, podStatus, podRestarts, age]
        case ("", "services"):
            return [name, serviceType, serviceClusterIP, serviceExternalIP, servicePorts, age]
        case ("", "configmaps"):
            return [
                name,
                Column(name: "Data", type: "integer", description: "Number of entries in data and binaryData") { object, _ in
                    .int(Int64((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)))
                }, age,
            ]
        case ("", "secrets"):
            return [
                name,
                Column(name: "Type", type: "string", description: "The type of the secret") { object, _ in
                    object["type"] ?? "Opaque"
                },
                Column(name: "Data", type: "string", description: "Number of entries in data") { object, _ in
                    .string(String(object["data"]?.objectValue?.count ?? 0))
                }, age,
            ]
        case ("coordination.k8s.io", "leases"):
            return [
                name,
                Column(name: "Holder", type: "string", description: "The holder of the lease") { object, _ in
                    object[path: "spec", "holderIdentity"] ?? ""
                }, age,
            ]
        case ("", "namespaces"):
            return [
                name,
                Column(name: "Status", type: "string", description: "The phase of the namespace") { object, _ in
                    object[path: "status", "phase"] ?? "Active"
                }, age,
            ]
        default:
            return [name, age]
        }
    }

    static let podReady = Column(
        name: "Ready", type: "string", description: "The aggregate readiness state of this pod for accepting traffic."
    ) { pod, _ in
        let total = pod[path: "spec", "containers"]?.arrayValue?.count ?? 0
        let ready = (pod[path: "status", "containerStatuses"]?.arrayValue ?? []).filter { $0["ready"]?.boolValue == true }.count
        return .string("\(ready)/\(total)")
    }

    static let podStatus = Column(name: "Status", type: "string", description: "The aggregate status of the containers in this pod.") {
        pod, _ in
        if pod[path: "metadata", "deletionTimestamp"] != nil { return "Terminating" }
        var status = pod[path: "status", "reason"]?.stringValue ?? pod[path: "status", "phase"]?.stringValue ?? "Pending"
        for container in pod[path: "status", "containerStatuses"]?.arrayValue ?? [] {
            if let reason = container[path: "state", "waiting", "reason"]?.stringValue, !reason.isEmpty {
                status = reason
            } else if let reason = container[path: "state", "terminated", "reason"]?.stringValue, !reason.isEmpty {
                status = reason
            }
        }
        return .string(status)
    }

    static let podRestarts = Column(
        name: "Restarts", type: "string", description: "The number of times the containers in this pod have been restarted."
    ) { pod, _ in
        let restarts = (pod[path: "status", "containerStatuses"]?.arrayValue ?? []).reduce(Int64(0)) {
            $0 + ($1["restartCount"]?.intValue ?? 0)
        }
        return .string(String(restarts))
    }

    static let serviceType = Column(name: "Type", type: "string", description: "The type of the service.") { service, _ in
        service[path: "spec", "type"] ?? "ClusterIP"
    }

    static let serviceClusterIP = Column(name: "Cluster-IP", type: "string", description: "The IP address of the service.") { service, _ in
        let ip = service[path: "spec", "clusterIP"]?.stringValue ?? ""
        return .string(ip.isEmpty ? "<none>" : ip)
    }

    static let serviceExternalIP = Column(name: "External-IP", type: "string", description: "The external IPs of the service.") {
        service, _ in
        let ips =
            (service[path: "spec", "externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
            + (service[path: "status", "loadBalancer", "ingress"]?.arrayValue ?? []).compactMap {
                $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue
            }
        if !ips.isEmpty { return .string(ips.joined(separator: ",")) }
        return service[path: "spec", "type"]?.stringValue == "LoadBalancer" ? "<pending>" : "<none>"
    }

    static let servicePorts = Column(name: "Port(s)", type: "string", description: "The ports of the service.") { service, _ in
        let ports = (service[path: "spec", "ports"]?.arrayValue ?? []).map { port -> String in
            let number = port["port"]?.intValue.map(String.init) ?? ""
            let node = port["nodePort"]?.intValue.map { ":\($0)" } ?? ""
            return "\(number)\(node)/\(port["protocol"]?.stringValue ?? "TCP")"
        }
        return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
    }

    /// A CRD's printer column: its JSONPath evaluated on each object; `date` columns print as ages.
    static func printerColumn(_ definition: JSONValue) -> Column? {
        guard let name = definition["name"]?.stringValue, let path = definition["jsonPath"]?.stringValue else { return nil }
        let type = definition["type"]?.stringValue ?? "string"
        let compiled = SimpleJSONPath(path)
        return Column(
            name: name, type: type, format: definition["format"]?.stringValue ?? "",
            description: definition["description"]?.stringValue ?? "Custom resource definition column (in JSONPath format): \(path)",
            priority: definition["priority"]?.intValue ?? 0
        ) { object, now in
            guard let value = compiled?.first(in: object) else { return .null }
            if type == "date", let text = value.stringValue { return .string(age(text, now: now)) }
            return value
        }
    }

    /// The age of an object created at `timestamp` (RFC 3339), `<unknown>` without one.
    static func age(_ timestamp: String?, now: Int64) -> String {
        guard let timestamp, let created = epochSeconds(rfc3339: timestamp) else { return "<unknown>" }
        return HumanDuration.format(seconds: now - created)
    }

    /// Seconds since 1970 of `2026-11-25T04:00:00Z` (fractions and offsets are accepted).
    static func epochSeconds(rfc3339 text: String) -> Int64? {
        let digits = Array(text.utf8)
        guard digits.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for index in range {
                let digit = digits[index]
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int32(digit - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        var seconds = Int64(timegm(&parts))
        // A numeric offset (`+02:00`) after optional fractional seconds.
        var index = 19
        if index < digits.count, digits[index] == UInt8(ascii: ".") {
            index += 1
            while index < digits.count, digits[index] >= UInt8(ascii: "0"), digits[index] <= UInt8(ascii: "9") { index += 1 }
        }
        if index + 6 <= digits.count, digits[index] == UInt8(ascii: "+") || digits[index] == UInt8(ascii: "-"),
            let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6)
        {
            let offset = Int64(hours) * 3600 + Int64(minutes) * 60
            seconds += digits[index] == UInt8(ascii: "+") ? -offset : offset
        }
        return seconds
    }
}
