import Foundation
import RoperatorClient
import Testing

@Suite struct InClusterTests {
    static func serviceAccount() throws -> ConfigTestDirectory {
        let dir = try ConfigTestDirectory()
        try dir.write("token", "sa-token-1\n")
        try dir.write("ca.crt", TestPEM.certificate)
        try dir.write("namespace", "operators\n")
        return dir
    }

    @Test func readsServiceAccount() async throws {
        let dir = try Self.serviceAccount()
        let env = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let client = try ClientConfiguration.inCluster(environment: env, serviceAccountDirectory: dir.path, tokenRecheckInterval: .zero)
        #expect(client.server == "https://10.96.0.1:443")
        #expect(client.namespace == "operators")
        #expect(client.tls.certificateAuthorityPEM == Array(TestPEM.certificate.utf8))
        #expect(try await client.credentials?.authorization(refresh: false) == "Bearer sa-token-1")
        // The kubelet rotates the token: the next request sees it.
        try dir.write("token", "sa-token-2")
        #expect(try await client.credentials?.authorization(refresh: false) == "Bearer sa-token-2")
    }

    @Test func ipv6HostAndDefaultNamespace() throws {
        let dir = try Self.serviceAccount()
        try FileManager.default.removeItem(atPath: dir.path + "/namespace")
        let env = ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"]
        let client = try ClientConfiguration.inCluster(environment: env, serviceAccountDirectory: dir.path)
        #expect(client.server == "https://[fd00::1]:6443")
        #expect(client.namespace == "default")
    }

    @Test func missingPiecesAreNamed() throws {
        let dir = try Self.serviceAccount()
        let noHost = #expect(throws: KubeconfigError.self) {
            try ClientConfiguration.inCluster(environment: [:], serviceAccountDirectory: dir.path)
        }
        #expect(noHost?.field == "KUBERNETES_SERVICE_HOST")
        let env = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "https"]
        let badPort = #expect(throws: KubeconfigError.self) {
            try ClientConfiguration.inCluster(environment: env, serviceAccountDirectory: dir.path)
        }
        #expect(badPort?.description == #"in-cluster configuration: field "KUBERNETES_SERVICE_PORT" is "https", not a port number"#)
        try FileManager.default.removeItem(atPath: dir.path + "/ca.crt")
        let noCA = #expect(throws: KubeconfigError.self) {
            try ClientConfiguration.inCluster(
                environment: ["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "443"], serviceAccountDirectory: dir.path)
        }
        #expect(noCA?.field == "ca.crt")
    }

    @Test func autodetectPrefersInCluster() throws {
        let dir = try Self.serviceAccount()
        let kube = try ConfigTestDirectory()
        let kubeconfig = try kube.write(
            "config",
            "clusters:\n- name: c\n  cluster: {server: 'https://from-kubeconfig'}\ncontexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x\n"
        )
        let inPod = try ClientConfiguration.autodetect(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443", "KUBECONFIG": kubeconfig],
            serviceAccountDirectory: dir.path)
        #expect(inPod.server == "https://10.96.0.1:443")
        let outside = try ClientConfiguration.autodetect(environment: ["KUBECONFIG": kubeconfig], serviceAccountDirectory: dir.path)
        #expect(outside.server == "https://from-kubeconfig")
    }
}
