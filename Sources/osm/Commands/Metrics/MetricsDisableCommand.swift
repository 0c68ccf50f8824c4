import ArgumentParser
import OSM

/// `osm metrics disable --namespace NS[,NS...]`
struct MetricsDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable metrics scraping in namespaces.",
        discussion: """
            Removes the metrics annotation from each namespace and the Prometheus scraping annotations \
            from its pods that have a sidecar. Each namespace must be in a mesh.

            Example:
              $ osm metrics disable --namespace bookstore,bookbuyer
            """)

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var selection: MetricsNamespacesOption

    func run() throws {
        let toggle = MetricsToggle(namespaces: selection.namespaces, enable: false)
        guard !toggle.namespaces.isEmpty else { return }
        try toggle.run(client: try cluster.makeClient()) { OutputPrinter.print(line: $0) }
    }
}
