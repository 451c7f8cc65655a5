/// Checks for Kubernetes qualified names (`[prefix/]name`), as used by finalizers and label keys.
enum QualifiedName {
    /// `nil` when `text` is a valid qualified name, otherwise why not.
    static func problem(with text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return nameProblem(parts[0])
        case 2:
            if let problem = prefixProblem(parts[0]) { return problem }
            return nameProblem(parts[1])
        default:
            return "contains more than one '/'"
        }
    }

    private static func nameProblem(_ name: Substring) -> String? {
        if name.isEmpty { return "name part is empty" }
        if name.utf8.count > 63 { return "name part is longer than 63 characters" }
        let scalars = Array(name.unicodeScalars)
        guard scalars.first!.isASCIIAlphanumeric, scalars.last!.isASCIIAlphanumeric else {
            return "name part must start and end with a letter or digit"
        }
        guard scalars.allSatisfy({ $0.isASCIIAlphanumeric || $0 == "-" || $0 == "_" || $0 == "." }) else {
            return "name part may contain only letters, digits, '-', '_' and '.'"
        }
        return nil
    }

    private static func prefixProblem(_ prefix: Substring) -> String? {
        if prefix.isEmpty { return "prefix is empty" }
        if prefix.utf8.count > 253 { return "prefix is longer than 253 characters" }
        for label in prefix.split(separator: ".", omittingEmptySubsequences: false) {
            let scalars = Array(label.unicodeScalars)
            guard !scalars.isEmpty, scalars.count <= 63,
                scalars.first!.isASCIILowerAlphanumeric, scalars.last!.isASCIILowerAlphanumeric,
                scalars.allSatisfy({ $0.isASCIILowerAlphanumeric || $0 == "-" })
            else { return "prefix must be a lower-case DNS subdomain" }
        }
        return nil
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        isASCIILowerAlphanumeric || ("A"..."Z").contains(self)
    }
}
