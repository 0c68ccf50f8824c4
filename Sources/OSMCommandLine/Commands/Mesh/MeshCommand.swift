import ArgumentParser

/// `osm mesh`: the control planes in the cluster.
struct MeshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mesh",
        abstract: "Manage OSM control planes.",
        subcommands: [MeshUpgradeCommand.self, MeshListCommand.self, MeshUninstallCommand.self])
}
