#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import ObjectModel

/// The credential each request carries: a token, basic auth, a client certificate, or what an
/// exec plugin hands out; never over plain http.
extension Transport {
    // MARK: Credentials

    struct Auth {
        var authorization: String?
        var certificatePEM: [UInt8]?
        var keyPEM: [UInt8]?
    }

    func auth() throws(KubeError) -> Auth {
        var a = Auth(authorization: nil, certificatePEM: config.clientCertificatePEM, keyPEM: config.clientKeyPEM)
        switch config.credential {
        case .none: break
        case .bearer(let t): a.authorization = "Bearer \(t)"
        case .basic(let u, let p): a.authorization = "Basic \(Base64.encode(Array("\(u):\(p)".utf8)))"
        case .exec(let e):
            let cred = try ExecPlugin.shared.credential(e, ExecPlugin.Context(
                userName: config.userName, environment: options.environment, interactive: options.interactive, cluster: config,
                timeout: options.execTimeout))
            if let t = cred.token {
                logger.addSecret(t)
                if server.scheme == "http" { throw Self.plainHTTPError(config, what: "bearer token (from its exec plugin)") }
                a.authorization = "Bearer \(t)"
            }
            if let c = cred.clientCertificatePEM, let k = cred.clientKeyPEM {
                a.certificatePEM = c
                a.keyPEM = k
            }
        }
        return a
    }

    /// kubectl sends no credential over plain http; neither do we.
    static func plainHTTPError(_ config: ClientConfig, what: String) -> KubeError {
        KubeError(.credentials, "refusing to send the \(what) of user \"\(config.userName)\" in clear to the API server at \(config.server) (cluster \"\(config.clusterName)\" of context \"\(config.contextName)\" in \(config.source)): use an https:// server address")
    }
}
