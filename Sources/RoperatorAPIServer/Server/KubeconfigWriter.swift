import Foundation

/// Writes the kubeconfig YAML that points kubectl and client libraries at the embedded server.
struct KubeconfigWriter: Sendable {
    var server: String
    var certificateAuthorityPEM: String?
    var clientCertificatePEM: String?
    var clientKeyPEM: String?
    var token: String?
    var namespace: String = "default"
    var name: String = "roperator"

    func yaml() -> String {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        var lines = [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: \(name)",
            "  cluster:",
            "    server: \(server)",
        ]
        if let certificateAuthorityPEM {
            lines.append("    certificate-authority-data: \(base64(certificateAuthorityPEM))")
        }
        lines += [
            "contexts:",
            "- name: \(name)",
            "  context:",
            "    cluster: \(name)",
            "    user: \(name)",
            "    namespace: \(namespace)",
            "current-context: \(name)",
            "preferences: {}",
            "users:",
            "- name: \(name)",
        ]
        var user: [String] = []
        if let token { user.append("    token: \(token)") }
        if let clientCertificatePEM, let clientKeyPEM {
            user.append("    client-certificate-data: \(base64(clientCertificatePEM))")
            user.append("    client-key-data: \(base64(clientKeyPEM))")
        }
        lines.append(user.isEmpty ? "  user: {}" : "  user:")
        lines += user
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the file readable only by its owner, since it may hold a key or token.
    func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(yaml().utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
