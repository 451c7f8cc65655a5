/// The Kubernetes rules for label keys and values, as the API server applies them.
///
/// A key is an optional prefix (a DNS subdomain of at most 253 characters) and `/`, then a name of
/// at most 63 characters that begins and ends with an alphanumeric character and contains only
/// alphanumerics, `-`, `_` and `.`. A value is empty or follows the same rule as the name.
public enum LabelValidation {
    /// Why `key` is not a valid label key, or `nil` when it is.
    public static func keyProblem(_ key: String) -> String? {
        var name = Substring(key)
        if let slash = key.firstIndex(of: "/") {
            let prefix = key[..<slash]
            name = key[key.index(after: slash)...]
            if let problem = subdomainProblem(prefix) { return "key prefix \"\(prefix)\" \(problem)" }
        }
        if name.isEmpty { return "key \"\(key)\" has an empty name part" }
        if let problem = nameProblem(name) { return "key \"\(key)\" \(problem)" }
        return nil
    }

    /// Why `value` is not a valid label value, or `nil` when it is.
    public static func valueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if let problem = nameProblem(Substring(value)) { return "value \"\(value)\" \(problem)" }
        return nil
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    private static func nameProblem(_ name: Substring) -> String? {
        let bytes = Array(name.utf8)
        if bytes.count > 63 { return "is longer than 63 characters" }
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return "must begin and end with an alphanumeric character"
        }
        for c in bytes where !(isAlphanumeric(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")) {
            return "may contain only alphanumerics, '-', '_' and '.'"
        }
        return nil
    }

    private static func subdomainProblem(_ prefix: Substring) -> String? {
        let bytes = Array(prefix.utf8)
        if bytes.isEmpty { return "is empty" }
        if bytes.count > 253 { return "is longer than 253 characters" }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard let first = label.first, let last = label.last else { return "has an empty DNS label" }
            let lower: (UInt8) -> Bool = {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
            }
            guard lower(first), lower(last), label.allSatisfy({ lower($0) || $0 == UInt8(ascii: "-") }) else {
                return "must be a lowercase DNS subdomain"
            }
        }
        return nil
    }
}
