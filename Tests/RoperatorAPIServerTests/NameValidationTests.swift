@testable import RoperatorAPIServer
import Testing

/// Object names as kube-apiserver checks them: the byte scanners are held to the regular
/// expressions Kubernetes documents in its messages.
@Suite struct NameValidationTests {

    /// Every string of up to four bytes over an alphabet with the interesting characters.
    private static var shortNames: [String] {
        let alphabet = ["a", "z", "0", "9", "-", ".", "A", "_"]
        var names = [""]
        var frontier = [""]
        for _ in 0..<4 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + $0 } }
            names += frontier
        }
        return names
    }

    @Test func scannersAgreeWithTheDocumentedPatterns() {
        let label = /[a-z0-9]([-a-z0-9]*[a-z0-9])?/
        let subdomain = /[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/
        for name in Self.shortNames {
            #expect(NameValidation.isSubdomain(name.utf8) == (name.wholeMatch(of: subdomain) != nil), "\(name)")
            #expect(NameValidation.isLabel(name.utf8) == (name.wholeMatch(of: label) != nil), "\(name)")
        }
    }

    @Test func ruleForEachKindOfResource() {
        // Most resources: a subdomain of at most 253 bytes; a label may be longer than 63 bytes.
        let long = String(repeating: "a", count: 64)
        #expect(NameValidation.problem(name: "parent-1.example", group: "", plural: "configmaps") == nil)
        #expect(NameValidation.problem(name: long + ".b", group: "", plural: "configmaps") == nil)
        #expect(NameValidation.problem(name: String(repeating: "a", count: 254), group: "", plural: "configmaps") != nil)
        #expect(NameValidation.problem(name: "Upper", group: "", plural: "configmaps") == NameValidation.subdomainMessage)
        #expect(NameValidation.problem(name: "a..b", group: "", plural: "configmaps") == NameValidation.subdomainMessage)
        // Namespaces: a label.
        #expect(NameValidation.problem(name: "team-a", group: "", plural: "namespaces") == nil)
        #expect(NameValidation.problem(name: "team.a", group: "", plural: "namespaces") == NameValidation.labelMessage)
        #expect(NameValidation.problem(name: long, group: "", plural: "namespaces") == "must be no more than 63 characters")
        // Services: a DNS-1035 label, starting with a letter.
        #expect(NameValidation.problem(name: "web", group: "", plural: "services") == nil)
        #expect(NameValidation.problem(name: "1web", group: "", plural: "services") == NameValidation.dns1035Message)
        // RBAC: any path segment.
        #expect(NameValidation.problem(name: "system:controller:x", group: "rbac.authorization.k8s.io", plural: "roles") == nil)
        // Every resource: no path separators, not a relative path.
        #expect(NameValidation.problem(name: "a/b", group: "rbac.authorization.k8s.io", plural: "roles") == "may not contain '/' or '%'")
        #expect(NameValidation.problem(name: "a%2f", group: "", plural: "configmaps") == "may not contain '/' or '%'")
        #expect(NameValidation.problem(name: "..", group: "rbac.authorization.k8s.io", plural: "roles") == "may not be '..'")
    }
}
