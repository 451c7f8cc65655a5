import RoperatorClient

extension StoreState {
    static let leases = GroupResource(group: "coordination.k8s.io", resource: "leases")

    /// What a real server does to a Lease's `spec` on every write: the MicroTime fields must
    /// parse as RFC 3339 (400 otherwise, as a decoding error) and come back as UTC with six
    /// fractional digits; `leaseDurationSeconds` must be positive and `leaseTransitions` not
    /// negative (422). Leader electors compare records, so the normalized form is what they see.
    static func normalizeLease(_ info: ResourceInfo, _ object: inout JSONValue) throws(APIError) {
        guard info.groupResource == leases, var spec = object["spec"]?.objectValue else { return }
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        func undecodable(_ field: String, _ value: JSONValue, _ expected: String) -> APIError {
            .badRequest("Lease in version \"v1\" cannot be handled as a Lease: spec.\(field): \(value.serialized()) is not \(expected)")
        }
        for field in ["acquireTime", "renewTime"] {
            guard let value = spec[field], !value.isNull else { continue }
            guard let text = value.stringValue, let date = RFC3339.parse(text) else {
                throw undecodable(field, value, "an RFC 3339 time")
            }
            spec[field] = .string(RFC3339.formatMicro(date))
        }
        for field in ["leaseDurationSeconds", "leaseTransitions"] {
            guard let value = spec[field], !value.isNull else { continue }
            guard let number = value.intValue, number >= Int64(Int32.min), number <= Int64(Int32.max) else {
                throw undecodable(field, value, "an int32")
            }
            let valid = field == "leaseDurationSeconds" ? number > 0 : number >= 0
            if !valid {
                let rule = field == "leaseDurationSeconds" ? "must be greater than 0" : "must be greater than or equal to 0"
                throw .invalid(
                    group: info.group, kind: info.kind, name: name,
                    causes: [.init(field: "spec.\(field)", message: "Invalid value: \(number): \(rule)")])
            }
        }
        if let holder = spec["holderIdentity"], !holder.isNull, holder.stringValue == nil {
            throw undecodable("holderIdentity", holder, "a string")
        }
        object["spec"] = .object(spec)
    }
}
