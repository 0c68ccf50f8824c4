import ArgumentParser

/// `osm namespace` (also `ns`): which namespaces a mesh watches.
struct NamespaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "namespace",
        abstract: "Manage the namespaces of a mesh.",
        subcommands: [
            NamespaceAddCommand.self, NamespaceRemoveCommand.self,
            NamespaceListCommand.self, NamespaceIgnoreCommand.self,
        ],
        aliases: ["ns"])
}
