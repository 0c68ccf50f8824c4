import ArgumentParser

/// `osm namespace ignore NAMESPACE...`
struct NamespaceIgnoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ignore",
        abstract: "Keep namespaces out of every mesh.",
        discussion: "Labels each namespace so that no OSM control plane touches it or injects sidecars into its pods.")

    @OptionGroup var cluster: ClusterOptions

    @Argument(help: ArgumentHelp("Namespaces to ignore", valueName: "namespace"))
    var namespaces: [String]

    func validate() throws {
        guard !namespaces.isEmpty else { throw ValidationError("Missing expected argument '<namespace> ...'") }
    }

    func run() throws {
        try notImplementedYet()
    }
}
