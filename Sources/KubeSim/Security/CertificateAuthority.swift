import Crypto
import Foundation
import NIOConcurrencyHelpers
import SwiftASN1
import X509

/// A throw-away CA with a server certificate for 127.0.0.1/localhost, made in process (swift-crypto
/// P-256 keys, swift-certificates X.509). Test-only key material; keys are PKCS#8 PEM, as
/// `openssl req -newkey ec` writes them, and never touch the disk.
final class CertificateAuthority: @unchecked Sendable {
    let caCertPEM: String
    let caKeyPEM: String
    let serverCertPEM: String
    let serverKeyPEM: String
    private let caCertificate: Certificate
    private let caKey: P256.Signing.PrivateKey
    private let lock = NIOLock()
    private var issued: [String: (certPEM: String, keyPEM: String)] = [:]

    private init(caCertificate: Certificate, caKey: P256.Signing.PrivateKey, serverCertPEM: String, serverKeyPEM: String) throws {
        self.caCertificate = caCertificate
        self.caKey = caKey
        caCertPEM = try Self.pem(caCertificate)
        caKeyPEM = caKey.pemRepresentation
        self.serverCertPEM = serverCertPEM
        self.serverKeyPEM = serverKeyPEM
    }

    private static let sharedLock = NIOLock()
    nonisolated(unsafe) private static var sharedCA: CertificateAuthority?

    /// One CA per process: tests start many servers, and their clients trust one CA file.
    static func shared() throws -> CertificateAuthority {
        try sharedLock.withLock {
            if let ca = sharedCA { return ca }
            let ca = try generate()
            sharedCA = ca
            return ca
        }
    }

    static func generate() throws -> CertificateAuthority {
        do {
            let key = P256.Signing.PrivateKey()
            let name = try DistinguishedName { CommonName("kube-sim-ca") }
            let publicKey = Certificate.PublicKey(key.publicKey)
            let ca = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
                notValidBefore: validFrom, notValidAfter: validUntil, issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: publicKey)
                },
                issuerPrivateKey: Certificate.PrivateKey(key))
            let loopbackV4: [UInt8] = [127, 0, 0, 1]
            let loopbackV6: [UInt8] = Array(repeating: 0, count: 15) + [1]
            let server = try leaf(
                subject: try DistinguishedName { CommonName("kube-apiserver") }, issuer: ca, issuerKey: key,
                usage: .serverAuth,
                alternativeNames: [
                    .ipAddress(ASN1OctetString(contentBytes: ArraySlice(loopbackV4))),
                    .ipAddress(ASN1OctetString(contentBytes: ArraySlice(loopbackV6))),
                    .dnsName("localhost"), .dnsName("kubernetes"), .dnsName("kubernetes.default"),
                ])
            return try CertificateAuthority(caCertificate: ca, caKey: key, serverCertPEM: server.certPEM, serverKeyPEM: server.keyPEM)
        } catch let e as KubeSimError {
            throw e
        } catch {
            throw KubeSimError("cannot make the kube-sim CA: \(error)")
        }
    }

    /// A client certificate whose CN is the user name and whose O entries are its groups.
    func issueClientCertificate(commonName: String, groups: [String]) throws -> (certPEM: String, keyPEM: String) {
        let cacheKey = ([commonName] + groups).joined(separator: "\u{0}")
        if let hit = lock.withLock({ issued[cacheKey] }) { return hit }
        let pair: (certPEM: String, keyPEM: String)
        do {
            // One relative name per attribute, groups first, as `openssl -subj /O=g/CN=user` wrote them.
            let subject = DistinguishedName(
                try groups.map { try OrganizationName($0).makeRDN() } + [try CommonName(commonName).makeRDN()])
            pair = try Self.leaf(subject: subject, issuer: caCertificate, issuerKey: caKey, usage: .clientAuth, alternativeNames: [])
        } catch {
            throw KubeSimError("cannot issue a client certificate for \"\(commonName)\": \(error)")
        }
        lock.withLock { issued[cacheKey] = pair }
        return pair
    }

    private static func leaf(subject: DistinguishedName, issuer: Certificate, issuerKey: P256.Signing.PrivateKey,
                             usage: ExtendedKeyUsage.Usage, alternativeNames: [GeneralName]) throws -> (certPEM: String, keyPEM: String) {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let cert = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: validFrom, notValidAfter: validUntil, issuer: issuer.subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([usage])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuer.publicKey).keyIdentifier)
                if !alternativeNames.isEmpty { SubjectAlternativeNames(alternativeNames) }
            },
            issuerPrivateKey: Certificate.PrivateKey(issuerKey))
        return (try pem(cert), key.pemRepresentation)
    }

    private static func pem(_ cert: Certificate) throws -> String {
        try cert.serializeAsPEM().pemString + "\n"
    }

    /// An hour back, against clocks a little behind; ten years on, as `openssl -days 3650`.
    private static var validFrom: Date { Date().addingTimeInterval(-3600) }
    private static var validUntil: Date { Date().addingTimeInterval(3650 * 86400) }
}
