/// Everything the transport needs about one cluster and user, resolved from a kubeconfig
/// context (or the in-cluster service account): files read, paths resolved, names kept for messages.
struct ClientConfig: Sendable {
    var server: String
    var contextName: String
    var clusterName: String
    var userName: String
    var namespace: String
    /// The kubeconfig file(s) this came from, or a description of the in-cluster source.
    var source: String

    var caPEM: [UInt8]?
    var insecureSkipTLSVerify = false
    var tlsServerName: String?
    var proxyURL: String?
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
    var credential: Credential = .none
    var impersonate: String?
    var impersonateGroups: [String] = []

    init(server: String, contextName: String, clusterName: String, userName: String, namespace: String, source: String) {
        self.server = server
        self.contextName = contextName
        self.clusterName = clusterName
        self.userName = userName
        self.namespace = namespace
        self.source = source
    }
}
