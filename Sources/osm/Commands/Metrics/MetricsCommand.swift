import ArgumentParser

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
