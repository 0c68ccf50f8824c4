import ArgumentParser
import OSM

/// `osm metrics enable --namespace NS[,NS...]`
struct MetricsEnableCommand: PflagCommand {
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

    static let flags = [MetricsNamespacesOption.flag]
    /// metrics_enable.go: cobra.NoArgs.
    static let positionalArgs: CobraArgs? = CobraArgs.none

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var selection: MetricsNamespacesOption

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        selection = MetricsNamespacesOption(parsed: p)
    }

    func run() throws {
        let toggle = MetricsToggle(namespaces: selection.namespaces, enable: true)
        guard !toggle.namespaces.isEmpty else { return }
        try toggle.run(client: try cluster.makeClient()) { OutputPrinter.print(line: $0) }
    }
}
