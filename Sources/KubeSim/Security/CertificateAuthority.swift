import Foundation
import NIOConcurrencyHelpers

/// A throw-away CA with a server certificate for 127.0.0.1/localhost, made with the `openssl` CLI
/// in a private temporary folder that is deleted straight afterwards. Test-only key material.
final class CertificateAuthority: @unchecked Sendable {
    let caCertPEM: String
    let caKeyPEM: String
    let serverCertPEM: String
    let serverKeyPEM: String
    private let lock = NIOLock()
    private var issued: [String: (certPEM: String, keyPEM: String)] = [:]

    private init(caCertPEM: String, caKeyPEM: String, serverCertPEM: String, serverKeyPEM: String) {
        self.caCertPEM = caCertPEM
        self.caKeyPEM = caKeyPEM
        self.serverCertPEM = serverCertPEM
        self.serverKeyPEM = serverKeyPEM
    }

    private static let sharedLock = NIOLock()
    nonisolated(unsafe) private static var sharedCA: CertificateAuthority?

    /// One CA per process: generating keys costs process launches, and tests start many servers.
    static func shared() throws -> CertificateAuthority {
        try sharedLock.withLock {
            if let ca = sharedCA { return ca }
            let ca = try generate()
            sharedCA = ca
            return ca
        }
    }

    static func generate() throws -> CertificateAuthority {
        try withPrivateDirectory { dir in
            try openssl([
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.crt", "-days", "3650", "-subj", "/CN=kube-sim-ca",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
            ])
            let (cert, key) = try sign(
                dir: dir, subject: "/CN=kube-apiserver", caCert: "\(dir)/ca.crt", caKey: "\(dir)/ca.key",
                extensions: [
                    "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default",
                    "extendedKeyUsage=serverAuth", "basicConstraints=critical,CA:FALSE",
                    "keyUsage=critical,digitalSignature,keyEncipherment",
                ])
            return CertificateAuthority(
                caCertPEM: try String(contentsOfFile: "\(dir)/ca.crt", encoding: .utf8),
                caKeyPEM: try String(contentsOfFile: "\(dir)/ca.key", encoding: .utf8),
                serverCertPEM: cert, serverKeyPEM: key)
        }
    }

    /// A client certificate whose CN is the user name and whose O entries are its groups.
    func issueClientCertificate(commonName: String, groups: [String]) throws -> (certPEM: String, keyPEM: String) {
        let cacheKey = ([commonName] + groups).joined(separator: "\u{0}")
        if let hit = lock.withLock({ issued[cacheKey] }) { return hit }
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "/", with: "\\/") }
        let subject = groups.map { "/O=\(esc($0))" }.joined() + "/CN=\(esc(commonName))"
        let pair = try Self.withPrivateDirectory { dir in
            try FileManager.default.createFile(atPath: "\(dir)/ca.crt", contents: Data(caCertPEM.utf8))
                .orThrow("cannot write CA certificate")
            try FileManager.default.createFile(
                atPath: "\(dir)/ca.key", contents: Data(caKeyPEM.utf8), attributes: [.posixPermissions: 0o600]
            ).orThrow("cannot write CA key")
            return try Self.sign(
                dir: dir, subject: subject, caCert: "\(dir)/ca.crt", caKey: "\(dir)/ca.key",
                extensions: [
                    "extendedKeyUsage=clientAuth", "basicConstraints=critical,CA:FALSE",
                    "keyUsage=critical,digitalSignature,keyEncipherment",
                ])
        }
        lock.withLock { issued[cacheKey] = pair }
        return pair
    }

    private static func sign(dir: String, subject: String, caCert: String, caKey: String, extensions: [String])
        throws -> (String, String)
    {
        var args = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(dir)/leaf.key", "-out", "\(dir)/leaf.crt", "-days", "3650", "-subj", subject,
            "-CA", caCert, "-CAkey", caKey,
        ]
        for e in extensions { args += ["-addext", e] }
        try openssl(args)
        let cert = try String(contentsOfFile: "\(dir)/leaf.crt", encoding: .utf8)
        let key = try String(contentsOfFile: "\(dir)/leaf.key", encoding: .utf8)
        try? FileManager.default.removeItem(atPath: "\(dir)/leaf.key")
        return (cert, key)
    }

    private static func withPrivateDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("kube-sim-ca-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try body(dir)
    }

    private static func openssl(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["openssl"] + args
        } else {
            p.arguments = args
        }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { throw KubeSimError("cannot run openssl: \(error)") }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let text = String(decoding: errData, as: UTF8.self).split(separator: "\n").first ?? ""
            throw KubeSimError("openssl \(args.first ?? "") failed: \(text)")
        }
    }
}

extension Bool {
    fileprivate func orThrow(_ message: String) throws {
        if !self { throw KubeSimError(message) }
    }
}
