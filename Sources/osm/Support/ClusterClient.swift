import KubeClient

extension ClusterOptions {
    /// The one client a command uses, from kubectl's flags; built only by commands that talk to a cluster.
    func makeClient() throws -> KubeClient {
        var options = ClientOptions()
        options.kubeconfig = kubeconfig
        options.context = context
        if let requestTimeout, !requestTimeout.isZero { options.requestTimeout = requestTimeout.seconds }
        options.verbosity = verbosity
        options.userAgent = "osm/\(BuildInfo.version) (\(BuildInfo.platform))"
        return try KubeClient(options: options)
    }
}
