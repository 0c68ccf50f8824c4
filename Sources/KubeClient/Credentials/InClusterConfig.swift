import ObjectModel

/// The service account a pod runs as: `KUBERNETES_SERVICE_HOST/PORT` and the mounted token, CA and namespace.
enum InClusterConfig {
    static func isPossible(_ options: ClientOptions) -> Bool {
        let env = options.environment
        guard let host = env["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = env["KUBERNETES_SERVICE_PORT"], !port.isEmpty else { return false }
        return FileSystem.isRegularFile(FilePath.join(options.inClusterRoot, "token"))
    }

    static func load(_ options: ClientOptions) throws(KubeError) -> ClientConfig {
        let env = options.environment
        let host = env["KUBERNETES_SERVICE_HOST"] ?? ""
        let port = env["KUBERNETES_SERVICE_PORT"] ?? ""
        let root = options.inClusterRoot
        let tokenPath = FilePath.join(root, "token")
        let token: String
        do {
            token = try FileSystem.readString(tokenPath).trimmingWhitespace
        } catch {
            throw KubeError(.credentials,
                "cannot read the in-cluster service account token \(tokenPath): \(error.reason); mount a service account token or use a kubeconfig")
        }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        var config = ClientConfig(
            server: "https://\(hostPart):\(port)", contextName: "in-cluster", clusterName: "in-cluster",
            userName: serviceAccountName(token) ?? "service account", namespace: namespace(options),
            source: "the in-cluster service account in \(root)")
        config.caPEM = try? FileSystem.read(FilePath.join(root, "ca.crt"))
        config.credential = .bearer(token)
        return config
    }

    /// client-go's `inClusterClientConfig.Namespace()`: `POD_NAMESPACE` (the downward API), else
    /// the service account's namespace file, else `default`.
    static func namespace(_ options: ClientOptions) -> String {
        if let ns = options.environment["POD_NAMESPACE"], !ns.isEmpty { return ns }
        if let ns = (try? FileSystem.readString(FilePath.join(options.inClusterRoot, "namespace")))?.trimmingWhitespace,
           !ns.isEmpty { return ns }
        return "default"
    }

    /// `system:serviceaccount:ns:name` from the token's JWT claims, for messages; nil if it isn't a JWT.
    static func serviceAccountName(_ token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        // Unpadded base64url: `.lenient` reads both.
        guard let bytes = Base64.decode(parts[1], .lenient), let claims = try? JSONValue(parsing: bytes) else { return nil }
        return claims["sub"]?.stringValue
    }
}
