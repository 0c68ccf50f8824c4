import ArgumentParser

/// `osm mesh list`: the control planes in the cluster.
struct MeshListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the OSM control planes in the cluster.",
        discussion: "Prints each control plane's mesh name, namespace and controller pods.")

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var format: OutputOptions

    func run() throws {
        try notImplementedYet()
    }
}
