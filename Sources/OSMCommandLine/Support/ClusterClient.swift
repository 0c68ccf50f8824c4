import KubeClient
import MeshControl

extension ClusterOptions {
    /// The one client a command uses, from kubectl's flags; built only by commands that talk to a cluster.
    /// `defaultRequestTimeout` bounds each request when `--request-timeout` is not given, for
    /// commands with an overall deadline that a hung server must not outlast.
    func makeClient(defaultRequestTimeout: Double? = ClientOptions.defaultRequestTimeout,
                    interruption: Interruption? = nil) throws -> KubeClient {
        var options = ClientOptions()
        options.kubeconfig = kubeconfig
        options.context = context
        if let requestTimeout {
            if !requestTimeout.isZero {
                options.requestTimeout = requestTimeout.seconds
                options.execTimeout = requestTimeout.seconds
            }
        } else {
            options.requestTimeout = defaultRequestTimeout
        }
        options.interruption = interruption
        options.verbosity = verbosity
        options.userAgent = "osm/\(BuildInfo.version) (\(BuildInfo.platform))"
        options.secretsInBody = VaultTokenInObjects.tokens
        return try KubeClient(options: options)
    }
}
