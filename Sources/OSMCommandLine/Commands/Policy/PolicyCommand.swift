import ArgumentParser

/// `osm policy`: the mesh's traffic policies.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check the mesh's traffic policies.",
        subcommands: [PolicyCheckPodsCommand.self])
}
