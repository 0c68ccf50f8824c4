import ObjectModel

/// What an exec plugin printed: a bearer token and/or a client certificate, maybe with an expiry.
struct ExecCredential: Sendable {
    var token: String?
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
    /// Seconds since the epoch; nil means valid for the life of the process.
    var expiresAt: Double?

    func isValid(at now: Double) -> Bool { expiresAt.map { now < $0 } ?? true }

    /// Parses the plugin's stdout; `what` names the plugin and user in errors.
    init(output: [UInt8], apiVersion: String, what: String) throws(KubeError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: output)
        } catch {
            throw KubeError(.credentials, "\(what) printed something that is not an ExecCredential JSON object; run it by hand to check its output")
        }
        guard json["kind"]?.stringValue == "ExecCredential" else {
            throw KubeError(.credentials, "\(what) printed an object of kind \"\(json["kind"]?.stringValue ?? "")\", want ExecCredential")
        }
        let got = json["apiVersion"]?.stringValue ?? ""
        guard got == apiVersion else {
            throw KubeError(.credentials, "\(what) returned apiVersion \"\(got)\", but the kubeconfig asks for \"\(apiVersion)\"; make them match")
        }
        let status = json["status"]
        token = status?["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let cert = status?["clientCertificateData"]?.stringValue ?? ""
        let key = status?["clientKeyData"]?.stringValue ?? ""
        if cert.isEmpty != key.isEmpty {
            throw KubeError(.credentials, "\(what) returned a client certificate without a key (or a key without a certificate)")
        }
        if !cert.isEmpty {
            clientCertificatePEM = Array(cert.utf8)
            clientKeyPEM = Array(key.utf8)
        }
        guard token != nil || clientCertificatePEM != nil else {
            throw KubeError(.credentials, "\(what) returned neither a token nor a client certificate in status")
        }
        if let stamp = status?["expirationTimestamp"]?.stringValue, !stamp.isEmpty {
            guard let t = RFC3339.parse(stamp) else {
                throw KubeError(.credentials, "\(what) returned expirationTimestamp \"\(stamp)\", which is not an RFC 3339 time")
            }
            expiresAt = t
        }
    }
}
