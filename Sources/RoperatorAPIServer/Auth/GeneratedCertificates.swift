import Crypto
import Foundation
import X509

/// A throw-away PKI for one server run: a CA, a server certificate for the loopback names signed by
/// it, and a client certificate (in `system:masters`) for mutual TLS. All keys are P-256.
///
/// ```swift
/// let certificates = try GeneratedCertificates.generate()
/// let caBundle = certificates.certificateAuthorityPEM
/// ```
public struct GeneratedCertificates: Sendable, Hashable {
    /// The CA certificate that signed the other two, PEM.
    public var certificateAuthorityPEM: String
    /// The server certificate (SANs `localhost`, `127.0.0.1`, `::1` and any extra names), PEM.
    public var serverCertificatePEM: String
    /// The server's private key, PKCS#8 PEM.
    public var serverKeyPEM: String
    /// A client certificate the server accepts, PEM.
    public var clientCertificatePEM: String
    /// The client certificate's private key, PKCS#8 PEM.
    public var clientKeyPEM: String

    /// Creates a fresh CA and certificates valid from an hour ago for `validity`.
    ///
    /// - Parameters:
    ///   - serverNames: extra DNS names or IP addresses for the server certificate.
    ///   - clientUser: the client certificate's common name (the user it authenticates as).
    ///   - validity: how long the certificates stay valid.
    /// - Throws: when signing or encoding fails.
    public static func generate(
        serverNames: [String] = [],
        clientUser: String = "roperator-admin",
        validity: Duration = .seconds(10 * 365 * 24 * 3600)
    ) throws -> GeneratedCertificates {
        let notBefore = Date().addingTimeInterval(-3600)
        let notAfter = Date().addingTimeInterval(TimeInterval(validity.components.seconds))

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("Roperator")
            CommonName("roperator-ca")
        }
        let caPrivateKey = Certificate.PrivateKey(caKey)
        let ca = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: caPrivateKey.publicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caName,
            subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: caPrivateKey.publicKey)
            },
            issuerPrivateKey: caPrivateKey
        )

        // `.init(contentBytes:)` builds SwiftASN1's octet string without importing that module.
        var names: [GeneralName] = [
            .dnsName("localhost"),
            .ipAddress(.init(contentBytes: [127, 0, 0, 1])),
            .ipAddress(.init(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
        ]
        for name in serverNames {
            if let address = ipAddressBytes(name) {
                names.append(.ipAddress(.init(contentBytes: ArraySlice(address))))
            } else {
                names.append(.dnsName(name))
            }
        }
        let serverKey = P256.Signing.PrivateKey()
        let server = try issue(
            subject: try DistinguishedName { CommonName("roperator-apiserver") },
            key: serverKey,
            usage: [.serverAuth],
            alternativeNames: names,
            notBefore: notBefore, notAfter: notAfter,
            issuer: ca, issuerKey: caPrivateKey
        )

        let clientKey = P256.Signing.PrivateKey()
        let client = try issue(
            subject: try DistinguishedName {
                OrganizationName("system:masters")
                CommonName(clientUser)
            },
            key: clientKey,
            usage: [.clientAuth],
            alternativeNames: [],
            notBefore: notBefore, notAfter: notAfter,
            issuer: ca, issuerKey: caPrivateKey
        )

        return GeneratedCertificates(
            certificateAuthorityPEM: try ca.serializeAsPEM().pemString + "\n",
            serverCertificatePEM: try server.serializeAsPEM().pemString + "\n",
            serverKeyPEM: serverKey.pemRepresentation + "\n",
            clientCertificatePEM: try client.serializeAsPEM().pemString + "\n",
            clientKeyPEM: clientKey.pemRepresentation + "\n"
        )
    }

    private static func issue(
        subject: DistinguishedName,
        key: P256.Signing.PrivateKey,
        usage: [ExtendedKeyUsage.Usage],
        alternativeNames: [GeneralName],
        notBefore: Date,
        notAfter: Date,
        issuer: Certificate,
        issuerKey: Certificate.PrivateKey
    ) throws -> Certificate {
        let publicKey = Certificate.PublicKey(key.publicKey)
        let authorityKeyIdentifier = try issuer.extensions.subjectKeyIdentifier?.keyIdentifier
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: issuer.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage(usage)
                SubjectKeyIdentifier(hash: publicKey)
                if let authorityKeyIdentifier {
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
                }
                if !alternativeNames.isEmpty {
                    SubjectAlternativeNames(alternativeNames)
                }
            },
            issuerPrivateKey: issuerKey
        )
    }

    /// The 4 or 16 bytes of a literal IPv4 or IPv6 address; `nil` for a host name.
    private static func ipAddressBytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 {
            let bytes = parts.compactMap { UInt8($0) }
            return bytes.count == 4 ? bytes : nil
        }
        return nil
    }
}
