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
        if name == "." || name == ".." { return "may not be '\(name)'" }
        if name.contains("/") || name.contains("%") { return "may not contain '/' or '%'" }
        switch (info.group, info.plural) {
        case ("", "namespaces"):
            if name.utf8.count > 63 { return "must be no more than 63 characters" }
            return isLabel(name) ? nil : labelMessage
        case ("", "services"):
            if name.utf8.count > 63 { return "must be no more than 63 characters" }
            return isLabel(name) && name.first!.isLetter ? nil : dns1035Message
        case ("rbac.authorization.k8s.io", _):
            return nil // RBAC names are path segments, e.g. `system:controller:foo`.
        default:
            if name.utf8.count > 253 { return "must be no more than 253 characters" }
            return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isLabel($0) })
                ? nil : subdomainMessage
        }
    }

    static func isLabel(_ s: some StringProtocol) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        return alnum(first) && alnum(last) && bytes.allSatisfy { alnum($0) || $0 == 45 }
    }
}
