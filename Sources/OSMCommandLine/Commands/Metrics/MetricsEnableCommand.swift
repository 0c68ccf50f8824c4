import ArgumentParser

/// `osm metrics enable --namespace NS[,NS...]`
struct MetricsEnableCommand: MetricsToggleCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Enable metrics scraping in namespaces.",
        discussion: """
            Annotates each namespace so that the controller enables metrics on its new pods, and adds \
            the Prometheus scraping annotations to its pods that already have a sidecar. Each namespace \
            must be in a mesh. It deploys no metrics collector such as Prometheus.

            Example:
              $ osm metrics enable --namespace bookstore,bookbuyer
            """)

    static let enable = true

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var selection: MetricsNamespacesOption

    init() {}
}
