import ArgumentParser

/// `osm metrics disable --namespace NS[,NS...]`
struct MetricsDisableCommand: MetricsToggleCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable metrics scraping in namespaces.",
        discussion: """
            Removes the metrics annotation from each namespace and the Prometheus scraping annotations \
            from its pods that have a sidecar. Each namespace must be in a mesh.

            Example:
              $ osm metrics disable --namespace bookstore,bookbuyer
            """)

    static let enable = false

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var selection: MetricsNamespacesOption

    init() {}
}
