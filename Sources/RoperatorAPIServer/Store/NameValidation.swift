/// Object name rules: DNS-1123 labels for namespaces, DNS-1035 labels for services, DNS-1123
/// subdomains for everything else (plus the path-segment rule that applies to every name).
enum NameValidation {
    static let subdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

    /// What is wrong with `name` for this resource, `nil` when it is valid.
    static func problem(name: String, info: ResourceInfo) -> String? {
        problem(name: name, group: info.group, plural: info.plural)
    }

    /// What is wrong with `name` for resource `plural` of `group`, `nil` when it is valid.
    ///
    /// One pass over the bytes per rule, as every create runs it: no splitting, no copies.
    static func problem(name: String, group: String, plural: String) -> String? {
        let bytes = name.utf8
        if name == "." || name == ".." { return "may not be '\(name)'" }
        if bytes.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "%") }) {
            return "may not contain '/' or '%'"
        }
        switch (group, plural) {
        case ("", "namespaces"):
            if bytes.count > 63 { return "must be no more than 63 characters" }
            return isLabel(bytes) ? nil : labelMessage
        case ("", "services"):
            if bytes.count > 63 { return "must be no more than 63 characters" }
            return isLabel(bytes) && isLower(bytes.first!) ? nil : dns1035Message
        case ("rbac.authorization.k8s.io", _):
            return nil // RBAC names are path segments, e.g. `system:controller:foo`.
        default:
            if bytes.count > 253 { return "must be no more than 253 characters" }
            return isSubdomain(bytes) ? nil : subdomainMessage
        }
    }

    /// Whether `bytes` are a DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 bytes.
    static func isLabel(_ bytes: some Collection<UInt8>) -> Bool {
        guard let first = bytes.first, bytes.count <= 63, isAlphanumeric(first) else { return false }
        var last = first
        for byte in bytes {
            guard isAlphanumeric(byte) || byte == UInt8(ascii: "-") else { return false }
            last = byte
        }
        return isAlphanumeric(last)
    }

    /// Whether `bytes` match the DNS-1123 subdomain pattern
    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*` (labels joined by dots;
    /// Kubernetes limits the whole name, not each label).
    static func isSubdomain(_ bytes: some Collection<UInt8>) -> Bool {
        // The start behaves like the byte after a dot: a label must begin there.
        var previous = UInt8(ascii: ".")
        for byte in bytes {
            if isAlphanumeric(byte) {
                // any position
            } else if byte == UInt8(ascii: "-") {
                if previous == UInt8(ascii: ".") { return false }
            } else if byte == UInt8(ascii: ".") {
                if !isAlphanumeric(previous) { return false }
            } else {
                return false
            }
            previous = byte
        }
        return isAlphanumeric(previous)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLower(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isLower(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }
}
