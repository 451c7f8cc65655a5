import Crypto
import Foundation
import X509

/// A CA, a server certificate for `localhost` and a client certificate, generated fresh per test run.
struct TestCertificates: Sendable {
    var caPEM: [UInt8]
    var serverCertificatePEM: [UInt8]
    var serverKeyPEM: [UInt8]
    var clientCertificatePEM: [UInt8]
    var clientKeyPEM: [UInt8]

    /// A CA that signed nothing here, for the wrong-CA test.
    static func otherCA() throws -> [UInt8] {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("Unrelated CA") }
        return try pem(makeCA(key: key, name: name))
    }

    static func generate() throws -> TestCertificates {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("Roperator Test CA") }
        let ca = try makeCA(key: caKey, name: caName)

        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(3600),
            issuer: caName, subject: try DistinguishedName { CommonName("localhost") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost")])
            },
            issuerPrivateKey: .init(caKey))

        let clientKey = P256.Signing.PrivateKey()
        let client = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(clientKey.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(3600),
            issuer: caName,
            subject: try DistinguishedName {
                CommonName("operator"); OrganizationName("system:masters")
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: .init(caKey))

        return TestCertificates(
            caPEM: try pem(ca),
            serverCertificatePEM: try pem(server), serverKeyPEM: Array(serverKey.pemRepresentation.utf8),
            clientCertificatePEM: try pem(client), clientKeyPEM: Array(clientKey.pemRepresentation.utf8))
    }

    private static func makeCA(key: P256.Signing.PrivateKey, name: DistinguishedName) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(3600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
    }

    private static func pem(_ certificate: Certificate) throws -> [UInt8] {
        Array(try certificate.serializeAsPEM().pemString.utf8)
    }
}
