import ArgumentParser

/// `osm metrics`: Prometheus scraping of the mesh's sidecars, per namespace.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Manage metrics scraping of mesh namespaces.",
        subcommands: [MetricsEnableCommand.self, MetricsDisableCommand.self])
}

/// `--namespace NS[,NS...]`, repeatable, as upstream's string slice flag.
struct MetricsNamespacesOption: ParsableArguments {
    @Option(
        name: .customLong("namespace"),
        parsing: .singleValue,
        help: ArgumentHelp("Namespaces, comma-separated or repeated", valueName: "namespace,..."))
    var lists: [String] = []

    var namespaces: [String] {
        lists.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }
}
