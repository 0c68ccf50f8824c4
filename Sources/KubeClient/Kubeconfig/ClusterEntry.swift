/// One `clusters[].cluster` of a kubeconfig, with the file that defined it.
struct ClusterEntry: Sendable, Equatable {
    var server: String?
    var certificateAuthority: String?
    var certificateAuthorityData: [UInt8]?
    var insecureSkipTLSVerify = false
    var tlsServerName: String?
    var proxyURL: String?
    /// The kubeconfig file this entry came from; relative paths resolve against its folder.
    var origin: String
}
