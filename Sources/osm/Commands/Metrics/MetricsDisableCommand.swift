import ArgumentParser
import OSM

/// `osm metrics disable --namespace NS[,NS...]`
struct MetricsDisableCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable metrics scraping in namespaces.",
        discussion: """
            Removes the metrics annotation from each namespace and the Prometheus scraping annotations \
            from its pods that have a sidecar. Each namespace must be in a mesh.

            Example:
              $ osm metrics disable --namespace bookstore,bookbuyer
            """)

    static let flags = [MetricsNamespacesOption.flag]
    /// metrics_disable.go: cobra.NoArgs.
    static let positionalArgs: CobraArgs? = CobraArgs.none

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var selection: MetricsNamespacesOption

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        selection = MetricsNamespacesOption(parsed: p)
    }

    func run() throws {
        let toggle = MetricsToggle(namespaces: selection.namespaces, enable: false)
        guard !toggle.namespaces.isEmpty else { return }
        try toggle.run(client: try cluster.makeClient()) { OutputPrinter.print(line: $0) }
    }
}
