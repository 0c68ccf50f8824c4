import ArgumentParser
import MeshControl

/// `osm metrics`: Prometheus scraping of the mesh's sidecars, per namespace.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Manage metrics scraping of mesh namespaces.",
        subcommands: [MetricsEnableCommand.self, MetricsDisableCommand.self])
}

/// `--namespace NS[,NS...]`, repeatable, as upstream's string slice flag (an empty value is
/// the empty list: nothing to do).
struct MetricsNamespacesOption: ParsableArguments {
    static let flag = GoFlag("namespace", .stringSlice, valueName: "namespace,...", "Namespaces, comma-separated or repeated")

    @Option(MetricsNamespacesOption.flag) var namespaces: [String]

    init() {}

    init(parsed p: ParsedCommand) {
        namespaces = p.list(Self.flag)
    }
}

/// What `metrics enable` and `metrics disable` share: their flags, cobra.NoArgs
/// (metrics_enable.go / metrics_disable.go), and the run, which differs only in `enable`.
protocol MetricsToggleCommand: PflagCommand {
    static var enable: Bool { get }
    var cluster: ClusterOptions { get set }
    var selection: MetricsNamespacesOption { get set }
    init()
}

extension MetricsToggleCommand {
    static var flags: [GoFlag] { [MetricsNamespacesOption.flag] }
    static var positionalArgs: CobraArgs? { CobraArgs.none }

    init(parsed p: ParsedCommand) throws {
        self.init()
        cluster = try ClusterOptions(parsed: p)
        selection = MetricsNamespacesOption(parsed: p)
    }

    func run() throws {
        let toggle = MetricsToggle(namespaces: selection.namespaces, enable: Self.enable)
        guard !toggle.namespaces.isEmpty else { return }
        try toggle.run(client: try cluster.makeClient()) { OutputPrinter.print(line: $0) }
    }
}
